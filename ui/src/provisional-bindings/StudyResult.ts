import type { Band } from "./Band";
import type { EventProbability } from "./EventProbability";
import type { WeekSummary } from "./WeekSummary";
import type { WorstDay } from "./WorstDay";
export type StudyResult = { scenario: string; runs: number; requested: number; cancelled: boolean; seed: number; dates: Array<string>; metrics: Array<string>; days: Array<Array<Band>>; uncoveredBySkill: Array<Array<number>>; skills: Array<string>; events: Array<EventProbability>; worstDays: Array<WorstDay>; weeks: Array<WeekSummary>; expectedExtraCostNok: number; expectedCostSplitNok: [number, number, number]; totalCostNok: Band; totalUncovered: Band; seconds: number };
