export type Cohort = { id: string; name: string };
