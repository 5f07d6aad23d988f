export type ShiftType = { code: string; name: string; start: string; end: string; paidMinutes: number; night?: boolean };
