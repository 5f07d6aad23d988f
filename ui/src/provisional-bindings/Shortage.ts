import type { Reason } from "./Reason";
import type { Violation } from "./Violation";
export type Shortage = { violation: Violation; reasons: Array<Reason> };
