export type Patients = { initial: { [key in string]?: number }; staffToPatient: number; detectionDays: number; recoveryDays: number };
