export type EventProbability = { id: string; labelNb: string; labelEn: string; count: number; probability: number; low: number; high: number };
