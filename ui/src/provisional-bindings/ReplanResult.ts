import type { ChangeView } from "./ChangeView";
import type { Roster } from "./Roster";
import type { Shortage } from "./Shortage";
export type ReplanResult = { roster: Roster; changes: Array<ChangeView>; uncovered: Array<Shortage>; costNok: number; changedCells: number; ruleViolations: number; seconds: number };
