export type AgencyOffer = { skill: string; pricePerShift: number; leadDays: number; maxPerShift: number };
