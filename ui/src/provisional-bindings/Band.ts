export type Band = { p10: number; p50: number; p90: number; mean: number };
