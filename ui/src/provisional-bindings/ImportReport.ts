import type { ImportColumn } from "./ImportColumn";
import type { ImportRowError } from "./ImportRowError";
export type ImportReport = { file: string; format: string; headerLine: number; columns: Array<ImportColumn>; validRows: number; errors: Array<ImportRowError>; written: boolean; added: number; updated: number };
