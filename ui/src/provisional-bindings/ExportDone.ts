export type ExportDone = { path: string };
