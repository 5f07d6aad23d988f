import type { Scenario } from "./Scenario";
export type ScenarioPreset = { id: string; scenario: Scenario };
