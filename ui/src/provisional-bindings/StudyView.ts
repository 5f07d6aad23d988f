import type { StudyResult } from "./StudyResult";
export type StudyView = { studyId: number; result: StudyResult };
