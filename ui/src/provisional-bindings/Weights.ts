export type Weights = { shortMin: number; shortNurse: number; underWanted: number; overWanted: number; request: number; fairNights: number; fairWeekends: number; costPerNok: number };
