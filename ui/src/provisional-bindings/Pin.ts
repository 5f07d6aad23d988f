export type Pin = { staff: string; date: string; shift: string | null; unit: string | null };
