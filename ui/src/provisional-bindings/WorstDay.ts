export type WorstDay = { date: string; meanUncovered: number; p90Uncovered: number; pWithoutNurse: number; meanAbsent: number };
