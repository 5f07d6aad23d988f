export type StudyListItem = { id: number; scenario: string; runs: number; requested: number; cancelled: boolean; createdAt: string };
