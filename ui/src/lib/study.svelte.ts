// The scenario being designed and the study job, kept outside the screen so that both
// survive switching screens while a study runs.
import type { Project } from "$bindings/Project";
import type { Scenario } from "$bindings/Scenario";
import * as api from "./api";
import { results, rosterGrid } from "./state.svelte";

export function defaultScenario(): Scenario {
  return {
    formatVersion: 1,
    name: "Eget scenario",
    description: "",
    community: { kind: "flat", dailyProbability: 0.0005 },
    transmission: { sameUnitDay: 0.02, sameShift: 0.06, patientToStaff: 0.01 },
    disease: { latentDays: 2, incubationDays: 5, asymptomaticShare: 0.3, infectiousDays: 7, isolationDays: 10 },
    policy: { kind: "quarantine", days: 10 },
    contactWindowDays: 2,
    baselineSickness: { dailyRate: 0.012, meanDays: 6 },
  };
}

export const study = $state({
  preset: "",
  scenario: defaultScenario(),
  runs: 500,
  seed: 42,
  running: false,
  done: 0,
  total: 0,
  status: "" as "" | "done" | "cancelled" | "failed",
  error: "",
  jobId: "",
});

let cancelFn: (() => Promise<boolean>) | null = null;

export async function startStudy(projectId: number, _project: Project): Promise<void> {
  study.running = true;
  study.done = 0;
  study.total = study.runs;
  study.status = "";
  study.error = "";
  const job = api.runStudy(
    projectId,
    {
      scenario: $state.snapshot(study.scenario) as Scenario,
      runs: study.runs,
      seed: study.seed,
      roster: rosterGrid()?.toRoster() ?? { assignments: [] },
    },
    (p) => {
      study.done = p.done;
      study.total = p.total;
    },
  );
  study.jobId = job.jobId;
  cancelFn = job.cancel;
  try {
    const view = await job.result;
    study.done = view.result.runs;
    study.total = view.result.requested;
    study.status = view.result.cancelled ? "cancelled" : "done";
    results.current = view;
    if (view.id !== null) results.studies = [...results.studies, { id: view.id, label: view.label }];
  } catch (e) {
    study.status = "failed";
    study.error = api.toAppError(e).message;
  } finally {
    study.running = false;
    cancelFn = null;
  }
}

export async function cancelStudy(): Promise<void> {
  await cancelFn?.();
}
