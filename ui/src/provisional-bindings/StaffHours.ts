export type StaffHours = { staff: string; minutes: number; contractMinutes: number; minMinutes: number; maxMinutes: number };
