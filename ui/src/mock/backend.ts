// A mocked shell for development, screenshots and tests: answers every command of
// docs/app-api.md from fixture data, through `mockIPC` from @tauri-apps/api/mocks.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Band } from "$bindings/Band";
import type { ChangeView } from "$bindings/ChangeView";
import type { HomeData } from "$bindings/HomeData";
import type { JobProgress } from "$bindings/JobProgress";
import type { Project } from "$bindings/Project";
import type { ReplanRequest } from "$bindings/ReplanRequest";
import type { RosRunRequest } from "$bindings/RosRunRequest";
import type { RosWorkshop } from "$bindings/RosWorkshop";
import type { Roster } from "$bindings/Roster";
import type { StudyRequest } from "$bindings/StudyRequest";
import type { StudyResult } from "$bindings/StudyResult";
import type { StudyView } from "$bindings/StudyView";
import { addDays, dateRange, dayNumber, weekLabel } from "../lib/dates";
import { mockCheck } from "./checker";
import { bigProject, demoProject, demoRoster, scenarioPresets } from "./data";
import { rosStore } from "./ros";

type Args = Record<string, unknown>;
type ChannelLike = { id: number };

function send(channel: ChannelLike, index: number, message: JobProgress) {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, d: unknown) => void } })
    .__TAURI_INTERNALS__;
  internals.runCallback(channel.id, { message, index });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function band(mean: number, spread: number): Band {
  const r = (x: number) => Math.max(0, Math.round(x));
  return { p10: r(mean - spread), p50: r(mean), p90: r(mean + spread * 1.4), mean };
}

/** A plausible study result: a wave peaking in the middle of the horizon. */
export function fakeStudy(project: Project, name: string, runs: number, requested: number, severity = 1): StudyResult {
  const days = 56;
  const dates = dateRange(project.start, days);
  const skills = project.skills.map((s) => s.id);
  const metrics = [
    "absentIsolation", "absentQuarantine", "absentSick", "absentTotal", "infectedStaff", "infectedPatients",
    "lostShifts", "uncovered", "uncoveredIsolation", "shiftsWithoutNurse", "cohortCrossings", "extraShifts",
    "overtimeShifts", "agencyShifts", "extraMinutes", "overtimeMinutes", "agencyMinutes", "costNok",
    ...skills.map((k) => `uncovered.${k}`),
  ];
  const wave = (d: number) => severity * Math.exp(-((d - 26) ** 2) / 120);
  const perDay = dates.map((_, d) => {
    const w = wave(d);
    const iso = 9 * w, qua = 11 * w, sick = 4;
    const unc = Math.max(0, 6 * w - 0.8);
    const vals: Record<string, Band> = {
      absentIsolation: band(iso, 2 + 3 * w), absentQuarantine: band(qua, 2 + 4 * w), absentSick: band(sick, 2),
      absentTotal: band(iso + qua + sick, 3 + 6 * w), infectedStaff: band(12 * w, 3 * w + 1), infectedPatients: band(8 * w, 3 * w),
      lostShifts: band(10 * w + 2, 3), uncovered: band(unc, 1 + 3 * w), uncoveredIsolation: band(w, w),
      shiftsWithoutNurse: band(Math.max(0, 1.5 * w - 0.3), w), cohortCrossings: band(w, w), extraShifts: band(5 * w + 1, 2),
      overtimeShifts: band(2 * w, 1), agencyShifts: band(2 * w, 1), extraMinutes: band(2000 * w, 500), overtimeMinutes: band(800 * w, 300),
      agencyMinutes: band(900 * w, 300), costNok: band(40000 * w + 3000, 9000),
    };
    skills.forEach((k, i) => (vals[`uncovered.${k}`] = band(unc * [0.5, 0.35, 0.15][i % 3], 1 + 2 * w)));
    return metrics.map((m) => vals[m]);
  });
  const worst = dates
    .map((date, d) => ({ date, meanUncovered: perDay[d][7].mean, p90Uncovered: perDay[d][7].p90, pWithoutNurse: Math.min(1, 0.6 * wave(d)), meanAbsent: perDay[d][3].mean }))
    .sort((a, b) => b.meanUncovered - a.meanUncovered)
    .slice(0, 10);
  const weeks = [];
  for (let w = 0; w < days; w += 7)
    weeks.push({ label: weekLabel(dates[w], "nb"), from: dates[w], peakAbsent: band(20 * wave(w + 3) + 5, 4), uncovered: band(30 * wave(w + 3), 8) });
  const split: [number, number, number] = [180000 * severity, 90000 * severity, 240000 * severity];
  return {
    scenario: name, runs, requested, cancelled: runs < requested, seed: 42, dates, metrics, days: perDay,
    uncoveredBySkill: perDay.map((b) => skills.map((_, i) => b[18 + i].mean)), skills,
    events: [
      { id: "shiftWithoutNurse", labelNb: "En vakt uten sykepleier", labelEn: "A shift without a nurse", count: Math.round(runs * 0.62), probability: 0.62, low: 0.58, high: 0.66 },
      { id: "weeklyUncovered", labelNb: "Minst 5 udekkede vakter i én uke", labelEn: "At least 5 uncovered shifts in one week", count: Math.round(runs * 0.41), probability: 0.41, low: 0.37, high: 0.45 },
      { id: "agencyCost", labelNb: "Vikarkostnad over 200 000 kr", labelEn: "Agency cost above NOK 200,000", count: Math.round(runs * 0.33), probability: 0.33, low: 0.29, high: 0.37 },
    ],
    worstDays: worst, weeks,
    expectedExtraCostNok: split[0] + split[1] + split[2], expectedCostSplitNok: split,
    totalCostNok: band(510000 * severity, 150000), totalUncovered: band(85 * severity, 30), seconds: 12.5,
  };
}

function rosterVersion(version: number, reason: string) {
  return { id: version, version, inUse: true, savedBy: "leder", savedAt: "2026-02-10T09:00:00Z", reason, assignments: 0 };
}

export type MockOptions = { big?: boolean; planMs?: number; studyDelayMs?: number; empty?: boolean; rosEmpty?: boolean; rosDelayMs?: number };

export function installMockBackend(opts: MockOptions = {}): { calls: { cmd: string; args: Args }[] } {
  const big = opts.big ? bigProject() : null;
  let project: Project = big ? big.project : demoProject();
  let roster: Roster | null = opts.empty ? null : big ? big.roster : demoRoster();
  const running = new Map<string, { cancelled: boolean }>();
  const studies: StudyView[] = [];
  const calls: { cmd: string; args: Args }[] = [];
  let version = 1;
  const ros = rosStore();
  if (opts.rosEmpty) ros.clear();

  mockIPC(async (cmd, raw) => {
    const args = (raw ?? {}) as Args;
    calls.push({ cmd, args });
    switch (cmd) {
      case "list_projects":
        return [{ id: 1, name: project.name, start: project.start, days: project.days, staff: project.staff.length, updatedAt: "2026-02-10T09:00:00Z" }];
      case "open_project": {
        const data: HomeData = {
          projectId: 1, project: structuredClone(project), roster: roster ? structuredClone(roster) : null,
          rosterVersion: roster ? rosterVersion(version, "Planlagt") : null,
          versions: roster ? [rosterVersion(version, "Planlagt")] : [],
          presets: scenarioPresets(),
          studies: studies.map((s) => ({ id: s.id!, label: s.label })),
          dbPath: "/home/bruker/.local/share/bemanna/bemanna.sqlite",
        };
        return data;
      }
      case "save_project": {
        const p = args.project as Project;
        if (!p.name.trim()) throw { message: "Prosjektet mangler navn.", fields: [{ path: "name", message: "må fylles ut" }] };
        project = structuredClone(p);
        return { id: 1, name: project.name, start: project.start, days: project.days, staff: project.staff.length, updatedAt: new Date().toISOString() };
      }
      case "import_staff": {
        const bytes = args.bytes as number[];
        const text = new TextDecoder().decode(new Uint8Array(bytes));
        const lines = text.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
        const errors = [];
        let valid = 0;
        for (let i = 1; i < lines.length; i++) {
          const cols = lines[i].split(/[;,]/);
          if (cols.length < 5 || !cols[1]) errors.push({ line: i + 1, reasons: ["Navn mangler."] });
          else if (!project.units.some((u) => u.id === cols[4] || u.name === cols[4])) errors.push({ line: i + 1, reasons: [`Ukjent avdeling «${cols[4]}».`] });
          else valid++;
        }
        const written = errors.length === 0 || (args.acceptValid as boolean);
        const columns = ["Ansattnr", "Navn", "Stilling", "Stillingsprosent", "Avdeling"].map((header, i) => ({ letter: "ABCDE"[i], header, field: ["id", "name", "skill", "stillingsprosent", "unit"][i] }));
        return { file: args.fileName as string, format: "CSV (UTF-8, ;)", headerLine: 1, columns, validRows: valid, errors, written, added: written ? valid : 0, updated: 0 };
      }
      case "check_roster":
        return mockCheck(project, args.roster as Roster);
      case "plan_roster": {
        const jobId = args.jobId as string;
        const ch = args.onProgress as ChannelLike;
        const state = { cancelled: false };
        running.set(jobId, state);
        const steps = 10;
        for (let i = 1; i <= steps && !state.cancelled; i++) {
          await sleep((opts.planMs ?? 1000) / steps);
          send(ch, i - 1, { done: i, total: steps, elapsedS: i * 0.1, bestObjective: 1000 / i });
        }
        running.delete(jobId);
        roster = big ? big.roster : demoRoster();
        return { roster, objective: 435, bestBound: 400, gap: 0.08, status: "timeLimit", breakdown: { shortMinHeads: 0, shortNurseHeads: 0, contractShortMinutes: 0, underWanted: 400, overWanted: 0, requests: 20, fairness: 15, extraCostNok: 0 }, shortages: [], cancelled: state.cancelled, seconds: 1, violations: 0 };
      }
      case "replan_roster": {
        const req = args.request as ReplanRequest;
        const from = dayNumber(req.from);
        const out = structuredClone(req.roster);
        const changes: ChangeView[] = [];
        const view = (c: ChangeView["change"], nbText: string, enText: string) => changes.push({ change: c, nb: nbText, en: enText });
        const names = new Map(project.staff.map((s) => [s.id, s.name]));
        for (const ab of req.absences) {
          out.assignments = out.assignments.filter((a) => {
            const d = dayNumber(a.date);
            const hit = a.staff === ab.staff && d >= Math.max(from, dayNumber(ab.from)) && d <= dayNumber(ab.to);
            if (hit) {
              const who = names.get(a.staff) ?? a.staff;
              view({ staff: a.staff, name: who, date: a.date, before: [a.shift, a.unit], after: null, kind: { absent: ab.kind }, costNok: 0 }, `${who}: ${a.shift} → fri`, `${who}: ${a.shift} → off`);
              const sub = project.staff.find((s) => s.id !== a.staff && s.unit === a.unit && !out.assignments.some((x) => x.staff === s.id && x.date === a.date));
              if (sub) view({ staff: sub.id, name: sub.name, date: a.date, before: null, after: [a.shift, a.unit], kind: "extra", costNok: 7.5 * sub.hourlyWage }, `${sub.name}: fri → ${a.shift} ${a.unit}, ekstravakt`, `${sub.name}: off → ${a.shift} ${a.unit}, extra shift`);
            }
            return !hit;
          });
        }
        for (const { change: c } of changes) if (c.after) out.assignments.push({ staff: c.staff, date: c.date, shift: c.after[0], unit: c.after[1] });
        return { roster: out, changes, uncovered: [], costNok: changes.reduce((s, c) => s + c.change.costNok, 0), changedCells: changes.length, ruleViolations: 0, seconds: 0.02 };
      }
      case "run_study": {
        const jobId = args.jobId as string;
        const ch = args.onProgress as ChannelLike;
        const req = args.request as StudyRequest;
        const state = { cancelled: false };
        running.set(jobId, state);
        const total = req.runs;
        const chunk = Math.max(1, Math.ceil(total / 20));
        let done = 0, i = 0;
        while (done < total && !state.cancelled) {
          await sleep(opts.studyDelayMs ?? 80);
          done = Math.min(total, done + chunk);
          send(ch, i++, { done, total, elapsedS: i * 0.08, bestObjective: null });
        }
        running.delete(jobId);
        const severity = req.scenario.name.toLowerCase().includes("mild") ? 0.4 : req.scenario.policy.kind === "testToRelease" ? 0.7 : 1;
        const result = fakeStudy(project, req.scenario.name, done, total, severity);
        const study: StudyView = { id: studies.length + 1, label: `${req.scenario.name}, ${done} scenarier, seed ${req.seed}`, result };
        studies.push(study);
        return study;
      }
      case "list_studies":
        return studies.map((s) => ({ id: s.id!, label: s.label }));
      case "load_study": {
        const s = studies.find((x) => x.id === args.studyId);
        if (!s) throw { message: "Fant ikke studien.", fields: [] };
        return s;
      }
      case "cancel_job": {
        const s = running.get(args.jobId as string);
        if (s) s.cancelled = true;
        return !!s;
      }
      case "save_roster":
        roster = args.roster as Roster;
        return rosterVersion(++version, args.reason as string);
      case "export_roster":
        return { path: `/home/bruker/Nedlastinger/vaktplan-${addDays(project.start, 0)}.${args.format as string}` };
      case "open_ros":
        return ros.open();
      case "save_ros":
        return ros.save(args.workshop as RosWorkshop);
      case "run_ros": {
        const jobId = args.jobId as string;
        const ch = args.onProgress as ChannelLike;
        const runs = (args.request as RosRunRequest).runs;
        const state = { cancelled: false };
        running.set(jobId, state);
        const total = ros.studies() * runs;
        const steps = 12;
        let i = 0;
        for (; i < steps && !state.cancelled; i++) {
          await sleep((opts.rosDelayMs ?? 1200) / steps);
          send(ch, i, { done: Math.round((total * (i + 1)) / steps), total, elapsedS: ((i + 1) * (opts.rosDelayMs ?? 1200)) / steps / 1000, bestObjective: null });
        }
        running.delete(jobId);
        if (state.cancelled) throw { message: `Avbrutt etter ${Math.round((total * i) / steps)} av ${total} scenarier`, fields: [] };
        return ros.finish(runs);
      }
      case "export_ros_report":
        return { path: `/home/bruker/Dokumenter/Bemanna/ROS-analyse-Solbakken-2026-02-16.${args.format as string}` };
      default:
        throw { message: `Ukjent kommando ${cmd}`, fields: [] };
    }
  });
  return { calls };
}
