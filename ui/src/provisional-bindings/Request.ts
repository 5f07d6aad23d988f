import type { RequestKind } from "./RequestKind";
export type Request = { staff: string; date: string; shift?: string; kind: RequestKind; weight: number };
