import type { Band } from "./Band";
export type WeekSummary = { label: string; from: string; peakAbsent: Band; uncovered: Band };
