import type { StudyResult } from "./StudyResult";
export type StudyView = { id: number | null; label: string; result: StudyResult };
