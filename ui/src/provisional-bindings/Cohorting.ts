export type Cohorting = { isolationCohort: string; separationDays: number; patientsPerStaff: { [key in string]?: number }; defaultPatientsPerStaff: number };
