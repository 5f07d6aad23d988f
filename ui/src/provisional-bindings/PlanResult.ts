import type { Breakdown } from "./Breakdown";
import type { PlanStatus } from "./PlanStatus";
import type { Roster } from "./Roster";
import type { Shortage } from "./Shortage";
export type PlanResult = { roster: Roster; status: PlanStatus; breakdown: Breakdown; shortages: Array<Shortage>; cancelled: boolean; seconds: number };
