import type { Absence } from "./Absence";
import type { Assignment } from "./Assignment";
import type { Roster } from "./Roster";
export type ReplanRequest = { roster: Roster; from: string; absences: Array<Absence>; pinned: Array<Assignment> };
