export type RosterVersion = { id: number; version: number; inUse: boolean; savedBy: string; savedAt: string; reason: string; assignments: number };
