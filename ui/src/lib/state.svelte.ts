// Application state shared by the screens. The project is edited in place (deep $state);
// the roster grid keeps its own model (lib/grid.ts) and survives switching screens.
import type { AppError } from "$bindings/AppError";
import type { HomeData } from "$bindings/HomeData";
import type { Project } from "$bindings/Project";
import type { StudyView } from "$bindings/StudyView";
import * as api from "./api";
import { GridModel, groupByUnit } from "./grid";

export type Screen = "home" | "staff" | "demand" | "rules" | "roster" | "scenario" | "results" | "ros";

export const app = $state({
  screen: "roster" as Screen,
  loading: true,
  error: null as AppError | null,
  projectId: null as number | null,
  noProjects: false,
  project: null as Project | null,
  dirty: false,
  saving: false,
  saveMessage: "",
  saveErrors: [] as { path: string; message: string }[],
  zoom: 1,
});

/** Loaded studies by id, most recent last; and which are shown. */
export const results = $state({
  studies: [] as { id: number; label: string }[],
  current: null as StudyView | null,
  compare: null as StudyView | null,
});

export const homeData = $state<{ value: HomeData | null }>({ value: null });

let grid: GridModel | null = null;
let gridProjectKey = "";

/** The grid model for the current project; rebuilt when staff or the horizon changed. */
export function rosterGrid(): GridModel | null {
  const p = app.project;
  if (!p) return null;
  const key = `${p.start}|${p.days}|${p.staff.map((s) => `${s.id}:${s.unit}`).join(",")}|${p.shiftTypes.map((s) => s.code).join(",")}`;
  if (!grid || key !== gridProjectKey) {
    const order = groupByUnit(p).flatMap((g) => g.staff);
    const roster = grid ? grid.toRoster() : (homeData.value?.roster ?? null);
    grid = new GridModel($state.snapshot(p) as Project, roster, order);
    gridProjectKey = key;
  }
  return grid;
}

export async function openFirstProject(): Promise<void> {
  app.loading = true;
  app.error = null;
  try {
    const list = await api.listProjects();
    if (list.length === 0) {
      app.noProjects = true;
      return;
    }
    await openProject(list[0].id);
  } catch (e) {
    app.error = api.toAppError(e);
  } finally {
    app.loading = false;
  }
}

export async function openProject(id: number): Promise<void> {
  const data = await api.openProject(id);
  homeData.value = data;
  grid = null;
  app.projectId = id;
  app.project = data.project;
  app.dirty = false;
  results.studies = data.studies.map((s) => ({ id: s.id, label: s.label }));
  if (data.studies.length > 0) {
    try {
      results.current = await api.loadStudy(data.studies[data.studies.length - 1].id);
    } catch {
      results.current = null;
    }
  }
}

export function markDirty(): void {
  app.dirty = true;
  app.saveMessage = "";
}

export async function saveProject(): Promise<boolean> {
  if (app.projectId === null || !app.project) return false;
  app.saving = true;
  app.saveErrors = [];
  try {
    await api.saveProject(app.projectId, $state.snapshot(app.project) as Project);
    app.dirty = false;
    app.saveMessage = "ok";
    return true;
  } catch (e) {
    const err = api.toAppError(e);
    app.saveMessage = err.message;
    app.saveErrors = err.fields;
    return false;
  } finally {
    app.saving = false;
  }
}
