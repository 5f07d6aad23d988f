// The mocked ROS commands: the demo workshop with a real assessment of it (the solver's
// output on fixtures/ros-demo-home.json, 100 scenarios per study), re-graded the way
// `Assessment::regrade` in solver/src/ros.rs does when only scales, overrides, prices or
// texts change.
import type { FieldError } from "$bindings/FieldError";
import type { RosAssessment } from "$bindings/RosAssessment";
import type { RosData } from "$bindings/RosData";
import type { RosEstimate } from "$bindings/RosEstimate";
import type { RosHazard } from "$bindings/RosHazard";
import type { RosMeasureResult } from "$bindings/RosMeasureResult";
import type { RosScales } from "$bindings/RosScales";
import type { RosWorkshop } from "$bindings/RosWorkshop";
import { category, consequenceThresholds, level, likelihoodThresholds } from "../lib/ros";
import assessmentJson from "./ros-assessment.json";

export function demoAssessment(): RosAssessment {
  return structuredClone(assessmentJson) as unknown as RosAssessment;
}

/** JSON with sorted keys, for comparing shapes whatever the key order. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

/** Whether `ws` asks for the simulations `a` ran (as `Assessment::same_evidence`). */
export function sameEvidence(a: RosAssessment, ws: RosWorkshop): boolean {
  const w = a.workshop;
  const scen = (x: RosWorkshop) => canon(x.scenarios.map((s) => [s.id, s.file]));
  const meas = (x: RosWorkshop) => canon(x.measures.map((m) => [m.id, m.change]));
  const haz = (x: RosWorkshop) => canon(x.hazards.map((h) => [h.id, h.scenario, h.event, h.consequence]));
  return w.seed === ws.seed && (w.roster ?? null) === (ws.roster ?? null) && scen(w) === scen(ws) && meas(w) === meas(ws) && haz(w) === haz(ws);
}

function regradeEstimate(s: RosScales, h: RosHazard, e: RosEstimate, annual: number | undefined): RosEstimate {
  const factor = s.likelihood.basis === "year" ? (annual ?? 1) : 1;
  const t = likelihoodThresholds(s.likelihood);
  const graded = e.probability * factor;
  const likelihood = category(t, graded);
  const consequence = category(consequenceThresholds(s, h.consequence.metric), e.consequenceValue);
  return {
    ...e,
    graded,
    likelihood,
    likelihoodRange: [category(t, e.low * factor), category(t, e.high * factor)],
    consequence,
    cell: { likelihood, consequence, level: level(s.acceptance, likelihood, consequence) },
  };
}

/** Ranks as `rank` in solver/src/ros.rs. */
export function rankMeasures(ms: RosMeasureResult[]): void {
  const cls = (m: RosMeasureResult) => (m.riskReduction <= 0 ? 2 : m.totalCostNok <= 0 ? 0 : 1);
  const idx = ms.map((_, i) => i);
  idx.sort((a, b) => {
    const x = ms[a], y = ms[b];
    const c = cls(x) - cls(y);
    if (c !== 0) return c;
    if (cls(x) === 0) return y.riskReduction - x.riskReduction;
    if (cls(x) === 1) return y.riskReduction / y.totalCostNok - x.riskReduction / x.totalCostNok;
    return x.totalCostNok - y.totalCostNok;
  });
  idx.forEach((i, r) => (ms[i].rank = r + 1));
}

/** Re-grades in place; false (nothing changed) when new simulations are needed. */
export function regrade(a: RosAssessment, ws: RosWorkshop): boolean {
  if (!sameEvidence(a, ws)) return false;
  const s = ws.scales;
  const annual = (id: string) => ws.scenarios.find((x) => x.id === id)?.annualProbability;
  a.hazards.forEach((hr, i) => {
    const h = ws.hazards[i];
    const ap = annual(h.scenario);
    hr.before = regradeEstimate(s, h, hr.before, ap);
    for (const e of hr.effects) e.after = regradeEstimate(s, h, e.after, ap);
    hr.cell = h.override
      ? { likelihood: h.override.likelihood, consequence: h.override.consequence, level: level(s.acceptance, h.override.likelihood, h.override.consequence) }
      : hr.before.cell;
    hr.hazard = structuredClone(h);
  });
  for (const sc of a.scenarios) sc.annualProbability = annual(sc.id) ?? null;
  a.measures = a.measures.map((mr, mi) => {
    const m = ws.measures[mi];
    const ids = Object.keys(mr.deltaExtraCostNok);
    const weight = (id: string) => (s.likelihood.basis === "year" ? (annual(id) ?? 0) : 1 / Math.max(1, ids.length));
    const dcost = ids.reduce((sum, id) => sum + weight(id) * mr.deltaExtraCostNok[id], 0);
    const totalCostNok = m.costNok + dcost;
    const riskReduction = a.hazards.reduce((sum, h) => sum + h.before.graded - h.effects[mi].after.graded, 0);
    const sc = (c: { likelihood: number; consequence: number }) => c.likelihood * c.consequence;
    return {
      ...mr,
      measure: structuredClone(m),
      totalCostNok,
      riskReduction,
      hazardsImproved: a.hazards.filter((h) => sc(h.effects[mi].after.cell) < sc(h.before.cell)).length,
      reductionPer100k: totalCostNok > 0 ? (riskReduction / totalCostNok) * 100_000 : null,
    };
  });
  rankMeasures(a.measures);
  a.workshop = structuredClone(ws);
  return true;
}

/** The demo assessment reshaped for another workshop: hazards and measures the demo lacks
 * borrow the numbers of a demo hazard of the same scenario (or the first) and of the first
 * measure. Only for the mock: it lets a run finish after hazards were added. */
export function synthesize(ws: RosWorkshop): RosAssessment {
  const a = demoAssessment();
  if (sameEvidence(a, ws)) return a;
  const mIdx = ws.measures.map((m) => Math.max(0, a.workshop.measures.findIndex((x) => x.id === m.id)));
  a.hazards = ws.hazards.map((h) => {
    const src = a.hazards.find((r) => r.hazard.id === h.id) ?? a.hazards.find((r) => r.hazard.scenario === h.scenario) ?? a.hazards[0];
    return { ...structuredClone(src), hazard: structuredClone(h), effects: mIdx.map((k, i) => ({ ...structuredClone(src.effects[k]), measure: ws.measures[i].id })) };
  });
  a.measures = mIdx.map((k, i) => ({ ...structuredClone(a.measures[k]), measure: structuredClone(ws.measures[i]) }));
  for (const sc of a.scenarios) sc.withMeasures = mIdx.map((k) => structuredClone(sc.withMeasures[k]));
  a.workshop = structuredClone(ws);
  return a;
}

/** The checks of `Workshop::validate` the screen can trip, with the backend's paths. */
export function validateWorkshop(ws: RosWorkshop): FieldError[] {
  const e: FieldError[] = [];
  if (!ws.title.trim()) e.push({ path: "title", message: "er tom" });
  if (!(ws.runs >= 1)) e.push({ path: "runs", message: "må være minst 1" });
  const a = ws.scales.acceptance;
  if (!(a.yellowFrom >= 1 && a.yellowFrom <= 25 && a.redFrom >= a.yellowFrom && a.redFrom <= 26))
    e.push({ path: "scales.acceptance", message: "krever 1 ≤ gul fra ≤ rød fra ≤ 26" });
  if (ws.hazards.length === 0) e.push({ path: "hazards", message: "minst én hendelse trengs" });
  const seen: string[] = [];
  ws.hazards.forEach((h, i) => {
    const p = `hazards[${i}]`;
    if (seen.includes(h.id)) e.push({ path: `${p}.id`, message: `«${h.id}» finnes to ganger` });
    seen.push(h.id);
    if (!ws.scenarios.some((s) => s.id === h.scenario)) e.push({ path: `${p}.scenario`, message: `ingen scenario med id «${h.scenario}»` });
    if ((h.event.atLeast !== undefined) === (h.event.moreThan !== undefined)) e.push({ path: `${p}.event`, message: "oppgi nøyaktig én av minst og mer enn" });
    if (h.override) {
      const o = h.override;
      if (![o.likelihood, o.consequence].every((x) => x >= 1 && x <= 5)) e.push({ path: `${p}.override`, message: "kategoriene er 1–5" });
      if (!o.reason.trim()) e.push({ path: `${p}.override.reason`, message: "en håndsatt celle må ha en skriftlig begrunnelse" });
    }
  });
  return e;
}

/** The mock's ROS store: one workshop, its assessment and whether it is stale. */
export function rosStore() {
  const first = demoAssessment();
  let workshop = structuredClone(first.workshop);
  let assessment: RosAssessment | undefined = first;
  let assessedAt: string | undefined = "2026-02-16T13:42:00";
  let saved = false;
  let stale = false;
  const choices = ["scenarios/wave-mild.json", "scenarios/wave-severe-2020.json", "scenarios/wave-severe-test-to-release.json"];
  const data = (): RosData => ({
    workshop: structuredClone(workshop),
    saved,
    ...(assessment ? { assessment: structuredClone(assessment), assessedAt } : {}),
    stale,
    scenarioChoices: choices,
  });
  return {
    /** Starts without an assessment (the empty state). */
    clear() {
      assessment = undefined;
      assessedAt = undefined;
    },
    open: data,
    save(ws: RosWorkshop): RosData {
      const errors = validateWorkshop(ws);
      if (errors.length) throw { message: "ROS-analysen er ikke gyldig, ingenting ble lagret", fields: errors };
      workshop = structuredClone(ws);
      saved = true;
      if (assessment) stale = !regrade(assessment, workshop);
      return data();
    },
    /** The result of a finished run: the demo's numbers, re-graded for the workshop. */
    finish(runs: number): RosData {
      const a = synthesize(workshop);
      if (regrade(a, workshop)) {
        assessment = { ...a, runs, seconds: Math.round(a.seconds * (runs / a.runs) * 10) / 10 };
        stale = false;
        saved = true;
        const d = new Date();
        const pad = (n: number) => String(n).padStart(2, "0");
        assessedAt = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
      }
      return data();
    },
    studies(): number {
      return new Set(workshop.hazards.map((h) => h.scenario)).size * (1 + workshop.measures.length);
    },
  };
}
