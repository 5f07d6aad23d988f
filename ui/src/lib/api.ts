// The only caller of `invoke`: one typed function per command of docs/app-api.md.

import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppError } from "$bindings/AppError";
import type { CheckReport } from "$bindings/CheckReport";
import type { ExportDone } from "$bindings/ExportDone";
import type { ExportFormat } from "$bindings/ExportFormat";
import type { HomeData } from "$bindings/HomeData";
import type { ImportReport } from "$bindings/ImportReport";
import type { JobProgress } from "$bindings/JobProgress";
import type { PlanRequest } from "$bindings/PlanRequest";
import type { PlanResult } from "$bindings/PlanResult";
import type { Project } from "$bindings/Project";
import type { ProjectListItem } from "$bindings/ProjectListItem";
import type { ReplanRequest } from "$bindings/ReplanRequest";
import type { ReplanResult } from "$bindings/ReplanResult";
import type { RosData } from "$bindings/RosData";
import type { RosReportFormat } from "$bindings/RosReportFormat";
import type { RosRunRequest } from "$bindings/RosRunRequest";
import type { RosWorkshop } from "$bindings/RosWorkshop";
import type { Roster } from "$bindings/Roster";
import type { RosterVersion } from "$bindings/RosterVersion";
import type { StudyListItem } from "$bindings/StudyListItem";
import type { StudyRequest } from "$bindings/StudyRequest";
import type { StudyView } from "$bindings/StudyView";

/** Every rejection reaches the UI as an AppError, whatever the shell or the bridge threw. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "message" in e && typeof (e as AppError).message === "string") {
    const fields = Array.isArray((e as AppError).fields) ? (e as AppError).fields : [];
    return { message: (e as AppError).message, fields };
  }
  if (typeof e === "string") return { message: e, fields: [] };
  return { message: String(e), fields: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** A running job: its id (for `cancel_job`) and the promise of its result. */
export type Job<T> = { jobId: string; result: Promise<T>; cancel: () => Promise<boolean> };

function newJobId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `job-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function job<T>(
  cmd: string,
  args: Record<string, unknown>,
  onProgress: (p: JobProgress) => void,
): Job<T> {
  const jobId = newJobId();
  const channel = new Channel<JobProgress>();
  channel.onmessage = onProgress;
  const result = call<T>(cmd, { ...args, jobId, onProgress: channel });
  return { jobId, result, cancel: () => cancelJob(jobId) };
}

export const listProjects = () => call<ProjectListItem[]>("list_projects");

export const openProject = (projectId: number) => call<HomeData>("open_project", { projectId });

export const saveProject = (projectId: number, project: Project) =>
  call<ProjectListItem>("save_project", { projectId, project });

export const importStaff = (projectId: number, fileName: string, bytes: Uint8Array, acceptValid: boolean) =>
  call<ImportReport>("import_staff", { projectId, fileName, bytes: Array.from(bytes), acceptValid });

export const checkRoster = (projectId: number, roster: Roster) =>
  call<CheckReport>("check_roster", { projectId, roster });

export const planRoster = (projectId: number, request: PlanRequest, onProgress: (p: JobProgress) => void) =>
  job<PlanResult>("plan_roster", { projectId, request }, onProgress);

export const replanRoster = (projectId: number, request: ReplanRequest) =>
  call<ReplanResult>("replan_roster", { projectId, request });

export const runStudy = (projectId: number, request: StudyRequest, onProgress: (p: JobProgress) => void) =>
  job<StudyView>("run_study", { projectId, request }, onProgress);

export const listStudies = (projectId: number) => call<StudyListItem[]>("list_studies", { projectId });

export const loadStudy = (studyId: number) => call<StudyView>("load_study", { studyId });

export const cancelJob = (jobId: string) => call<boolean>("cancel_job", { jobId });

export const saveRoster = (projectId: number, roster: Roster, reason: string) =>
  call<RosterVersion>("save_roster", { projectId, roster, reason });

export const exportRoster = (projectId: number, roster: Roster, format: ExportFormat) =>
  call<ExportDone>("export_roster", { projectId, roster, format });

export const openRos = (projectId: number) => call<RosData>("open_ros", { projectId });

export const saveRos = (projectId: number, workshop: RosWorkshop) => call<RosData>("save_ros", { projectId, workshop });

export const runRos = (projectId: number, request: RosRunRequest, onProgress: (p: JobProgress) => void) =>
  job<RosData>("run_ros", { projectId, request }, onProgress);

export const exportRosReport = (projectId: number, format: RosReportFormat) =>
  call<ExportDone>("export_ros_report", { projectId, format });
