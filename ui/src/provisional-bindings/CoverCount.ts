export type CoverCount = { date: string; shift: string; unit: string; heads: number; min: number; wanted: number; nurses: number };
