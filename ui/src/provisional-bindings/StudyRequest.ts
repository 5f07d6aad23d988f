import type { Roster } from "./Roster";
import type { Scenario } from "./Scenario";
export type StudyRequest = { scenario: Scenario; runs: number; seed: number; roster: Roster };
