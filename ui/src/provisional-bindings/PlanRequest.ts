export type PlanRequest = { weeks: number | null; timeLimitS: number; gap: number | null };
