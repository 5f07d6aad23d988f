import type { CoverScope } from "./CoverScope";
export type NurseCover = { skills: Array<string>; scope: CoverScope; minPerShift: number; patientsPerNurse?: number; shifts?: Array<string>; units?: Array<string> };
