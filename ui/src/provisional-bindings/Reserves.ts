import type { AgencyOffer } from "./AgencyOffer";
export type Reserves = { agency: Array<AgencyOffer>; pool: Array<string>; overtimeWeekMinutes: number; overtimeFourWeeksMinutes: number; changePenaltyNok: number; extraShiftSupplementPercent: number };
