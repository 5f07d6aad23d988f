import type { Change } from "./Change";
import type { Roster } from "./Roster";
import type { Shortage } from "./Shortage";
export type ReplanResult = { roster: Roster; changes: Array<Change>; uncovered: Array<Shortage>; costNok: number };
