export type AbsenceKind = "ferie" | "sykdom" | "karantene" | "isolasjon" | "fri";
