import type { Scenario } from "./Scenario";
export type StudyRequest = { scenario: Scenario; runs: number; seed: number; threads: number | null };
