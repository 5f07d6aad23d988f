export type StudyListItem = { id: number; label: string };
