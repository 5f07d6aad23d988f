import type { StaffRules } from "./StaffRules";
export type Staff = { id: string; name: string; skills: Array<string>; unit: string; floatUnits?: Array<string>; stillingsprosent: number; maxExtraShifts: number; hourlyWage: number; rules?: StaffRules };
