export type RosterVersion = { version: number; reason: string; createdAt: string; active: boolean };
