export type ProjectListItem = { id: number; name: string; start: string; days: number; staff: number; updatedAt: string };
