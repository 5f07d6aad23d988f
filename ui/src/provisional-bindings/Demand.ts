import type { Weekday } from "./Weekday";
export type Demand = { unit: string; shift: string; skill: string; min: number; wanted?: number; weekdays?: Array<Weekday>; dates?: Array<string>; underWeight?: number; overWeight?: number };
