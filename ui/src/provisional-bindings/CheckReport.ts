import type { CoverCell } from "./CoverCell";
import type { Shortage } from "./Shortage";
import type { StaffHours } from "./StaffHours";
import type { Violation } from "./Violation";
export type CheckReport = { violations: Array<Violation>; shortages: Array<Shortage>; hours: Array<StaffHours>; cover: Array<CoverCell>; micros: number };
