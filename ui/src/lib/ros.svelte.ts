// The ROS workshop's state: the data of the open project, the run job and the screen's
// choices, kept outside the screen so that a run survives switching screens.
import type { AppError } from "$bindings/AppError";
import type { RosData } from "$bindings/RosData";
import type { RosReportFormat } from "$bindings/RosReportFormat";
import type { RosWorkshop } from "$bindings/RosWorkshop";
import * as api from "./api";

export const ros = $state({
  projectId: null as number | null,
  data: null as RosData | null,
  loading: false,
  loadError: "",
  runs: 500,
  running: false,
  done: 0,
  total: 0,
  elapsed: 0,
  runError: "",
  /** -1: before measures; else the index of the measure shown. */
  view: -1,
  /** Id of the hazard whose detail is shown. */
  selected: null as string | null,
  saving: false,
  saveError: null as AppError | null,
  savedNote: "",
  reportPath: "",
  reportError: "",
  reporting: false,
});

let cancelFn: (() => Promise<boolean>) | null = null;

function take(d: RosData): void {
  ros.data = d;
  const measures = d.assessment?.measures.length ?? 0;
  if (ros.view >= measures) ros.view = -1;
}

/** Loads the workshop of a project (once per project unless `force`). */
export async function loadRos(projectId: number, force = false): Promise<void> {
  if (!force && ros.projectId === projectId && ros.data) return;
  ros.loading = true;
  ros.loadError = "";
  try {
    const d = await api.openRos(projectId);
    ros.projectId = projectId;
    take(d);
    ros.runs = d.workshop.runs;
    ros.view = -1;
    ros.selected = null;
  } catch (e) {
    ros.loadError = api.toAppError(e).message;
  } finally {
    ros.loading = false;
  }
}

/** Saves the whole workshop; true when it was accepted. Field errors stay in `saveError`. */
export async function saveWorkshop(ws: RosWorkshop): Promise<boolean> {
  if (ros.projectId === null) return false;
  ros.saving = true;
  ros.saveError = null;
  ros.savedNote = "";
  try {
    take(await api.saveRos(ros.projectId, ws));
    ros.savedNote = "ok";
    return true;
  } catch (e) {
    ros.saveError = api.toAppError(e);
    return false;
  } finally {
    ros.saving = false;
  }
}

export async function runRos(): Promise<void> {
  if (ros.projectId === null || ros.running) return;
  ros.running = true;
  ros.done = 0;
  ros.total = 0;
  ros.elapsed = 0;
  ros.runError = "";
  const job = api.runRos(ros.projectId, { runs: ros.runs }, (p) => {
    ros.done = p.done;
    ros.total = p.total;
    ros.elapsed = p.elapsedS;
  });
  cancelFn = job.cancel;
  try {
    take(await job.result);
  } catch (e) {
    ros.runError = api.toAppError(e).message;
  } finally {
    ros.running = false;
    cancelFn = null;
  }
}

export async function cancelRos(): Promise<void> {
  await cancelFn?.();
}

export async function exportReport(format: RosReportFormat): Promise<void> {
  if (ros.projectId === null) return;
  ros.reporting = true;
  ros.reportPath = "";
  ros.reportError = "";
  try {
    ros.reportPath = (await api.exportRosReport(ros.projectId, format)).path;
  } catch (e) {
    ros.reportError = api.toAppError(e).message;
  } finally {
    ros.reporting = false;
  }
}
