export type JobProgress = { done: number; total: number; elapsedS: number; bestObjective: number | null };
