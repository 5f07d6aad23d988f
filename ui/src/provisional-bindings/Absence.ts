import type { AbsenceKind } from "./AbsenceKind";
export type Absence = { staff: string; kind: AbsenceKind; from: string; to: string };
