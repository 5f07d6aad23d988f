import type { Assignment } from "./Assignment";
export type Roster = { assignments: Array<Assignment> };
