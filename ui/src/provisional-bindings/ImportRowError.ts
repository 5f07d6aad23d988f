export type ImportRowError = { line: number; message: string };
