export type PersonHours = { staff: string; paidMinutes: number; contractMinutes: number; minMinutes: number; maxMinutes: number };
