import type { Pin } from "./Pin";
import type { Roster } from "./Roster";
export type PlanRequest = { timeLimitS: number; pins: Array<Pin>; start: Roster | null };
