import type { Cohort } from "./Cohort";
export type Unit = { id: string; name: string; beds: number; cohorts: Array<Cohort> };
