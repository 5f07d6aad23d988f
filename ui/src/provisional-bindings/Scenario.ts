import type { BaselineSickness } from "./BaselineSickness";
import type { Community } from "./Community";
import type { Disease } from "./Disease";
import type { Patients } from "./Patients";
import type { Policy } from "./Policy";
import type { Transmission } from "./Transmission";
export type Scenario = { formatVersion: number; name: string; description: string; days?: number; community: Community; transmission: Transmission; disease: Disease; policy: Policy; contactWindowDays: number; baselineSickness: BaselineSickness; patients?: Patients };
