export type ImportColumn = { letter: string; header: string; field: string | null };
