export type ImportRowError = { line: number; reasons: Array<string> };
