import type { CoverCount } from "./CoverCount";
import type { PersonHours } from "./PersonHours";
import type { Shortage } from "./Shortage";
import type { Violation } from "./Violation";
export type CheckReport = { violations: Array<Violation>; shortages: Array<Shortage>; hours: Array<PersonHours>; cover: Array<CoverCount>; micros: number };
