import type { RuleId } from "./RuleId";
export type Violation = { rule: RuleId; staff?: string; date?: string; shift?: string; unit?: string; amount: number; messageNb: string; messageEn: string };
