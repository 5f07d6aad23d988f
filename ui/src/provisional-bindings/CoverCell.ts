export type CoverCell = { date: string; shift: string; unit: string; need: number; wanted: number; have: number };
