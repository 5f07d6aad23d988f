export type Reason = { staff: string; nb: string; en: string };
