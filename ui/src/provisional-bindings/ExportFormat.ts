export type ExportFormat = "csv" | "xlsx";
