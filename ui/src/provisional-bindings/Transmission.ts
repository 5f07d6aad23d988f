export type Transmission = { sameUnitDay: number; sameShift: number; patientToStaff: number };
