export type BaselineSickness = { dailyRate: number; meanDays: number };
