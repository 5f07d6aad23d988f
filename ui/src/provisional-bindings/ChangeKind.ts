import type { AbsenceKind } from "./AbsenceKind";
export type ChangeKind = { "absent": AbsenceKind } | "extra" | "overtime" | "agency" | "moved" | "swapped" | "dropped" | "movedDay";
