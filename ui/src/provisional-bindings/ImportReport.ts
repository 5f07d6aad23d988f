import type { ImportRowError } from "./ImportRowError";
export type ImportReport = { rows: number; valid: number; errors: Array<ImportRowError>; mapping: Array<string>; written: boolean };
