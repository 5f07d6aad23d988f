import type { Breakdown } from "./Breakdown";
import type { PlanStatus } from "./PlanStatus";
import type { Roster } from "./Roster";
import type { Shortage } from "./Shortage";
export type PlanResult = { roster: Roster; objective: number; bestBound: number | null; gap: number | null; status: PlanStatus; cancelled: boolean; seconds: number; breakdown: Breakdown; shortages: Array<Shortage>; violations: number };
