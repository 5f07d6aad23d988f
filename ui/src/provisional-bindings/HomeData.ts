import type { Project } from "./Project";
import type { Roster } from "./Roster";
import type { RosterVersion } from "./RosterVersion";
import type { ScenarioPreset } from "./ScenarioPreset";
import type { StudyListItem } from "./StudyListItem";
export type HomeData = { projectId: number; project: Project; roster: Roster | null; rosterVersion: RosterVersion | null; versions: Array<RosterVersion>; presets: Array<ScenarioPreset>; studies: Array<StudyListItem>; dbPath: string };
