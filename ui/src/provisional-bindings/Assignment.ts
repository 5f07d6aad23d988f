export type Assignment = { staff: string; date: string; shift: string; unit: string };
