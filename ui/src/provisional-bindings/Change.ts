import type { ChangeKind } from "./ChangeKind";
export type Change = { staff: string; name: string; date: string; before: [string, string] | null; after: [string, string] | null; kind: ChangeKind; costNok: number; movedFrom?: string };
