import type { Absence } from "./Absence";
import type { Pin } from "./Pin";
import type { Roster } from "./Roster";
export type ReplanRequest = { roster: Roster; from: string; absences: Array<Absence>; pins: Array<Pin>; mipSeconds: number | null };
