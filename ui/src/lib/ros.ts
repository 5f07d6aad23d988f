// Pure logic of the ROS workshop screen (risiko- og sårbarhetsanalyse): scales and their
// labels, where each hazard's chip sits in the 5 × 5 matrix (before and after a measure),
// fan-chart rows behind a hazard, and the hazard form. The grading itself is done by the
// solver (solver/src/ros.rs); the helpers here only mirror what the screen needs to show it.
import type { RosAcceptance } from "$bindings/RosAcceptance";
import type { RosAssessment } from "$bindings/RosAssessment";
import type { RosCell } from "$bindings/RosCell";
import type { RosChange } from "$bindings/RosChange";
import type { RosEstimate } from "$bindings/RosEstimate";
import type { RosFan } from "$bindings/RosFan";
import type { RosHazard } from "$bindings/RosHazard";
import type { RosHazardResult } from "$bindings/RosHazardResult";
import type { RosLevel } from "$bindings/RosLevel";
import type { RosLikelihoodScale } from "$bindings/RosLikelihoodScale";
import type { RosMeasureResult } from "$bindings/RosMeasureResult";
import type { RosMetric } from "$bindings/RosMetric";
import type { RosScales } from "$bindings/RosScales";
import type { RosStatistic } from "$bindings/RosStatistic";
import type { RosWorkshop } from "$bindings/RosWorkshop";
import { dayNumber, type Locale } from "./dates";
import type { FanRow } from "./fan";
import { format } from "./i18n.svelte";
import { en } from "./messages/en";
import { nb, type MessageKey } from "./messages/nb";

export type Thresholds = [number, number, number, number];

/** Likelihood thresholds in the planning period (mirrors `PERIOD_THRESHOLDS` in solver/src/ros.rs). */
export const PERIOD_THRESHOLDS: Thresholds = [0.01, 0.05, 0.2, 0.5];
/** DSB 2014 per-year thresholds (mirrors `DSB_YEAR_THRESHOLDS` in solver/src/ros.rs). */
export const DSB_YEAR_THRESHOLDS: Thresholds = [0.001, 0.01, 0.02, 0.1];

/** Every metric, in the solver's order (`Metric::ALL` in solver/src/ros.rs). */
export const METRICS: RosMetric[] = [
  "shiftsWithoutNurse",
  "uncoveredShifts",
  "maxWeekUncovered",
  "cohortCrossings",
  "peakInfectedPatients",
  "peakAbsent",
  "extraCostNok",
  "agencyCostNok",
];

/** Default consequence thresholds per metric: mirrors `Metric::default_thresholds` in
 * solver/src/ros.rs (sized for a home of 50–100 staff over a wave of 4–8 weeks). */
export const DEFAULT_CONSEQUENCE_THRESHOLDS: Record<RosMetric, Thresholds> = {
  shiftsWithoutNurse: [1, 3, 10, 30],
  uncoveredShifts: [5, 20, 60, 150],
  maxWeekUncovered: [3, 10, 25, 50],
  cohortCrossings: [1, 5, 15, 40],
  peakInfectedPatients: [1, 3, 8, 15],
  peakAbsent: [5, 10, 20, 30],
  extraCostNok: [100_000, 300_000, 1_000_000, 3_000_000],
  agencyCostNok: [100_000, 300_000, 1_000_000, 3_000_000],
};

export const DEFAULT_ACCEPTANCE: RosAcceptance = { yellowFrom: 5, redFrom: 15 };

export const STATISTICS: RosStatistic[] = ["median", "p90", "mean"];

export const CATEGORIES = [1, 2, 3, 4, 5] as const;

export const isCostMetric = (m: RosMetric) => m === "extraCostNok" || m === "agencyCostNok";

function msg(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format((locale === "nb" ? nb : en)[key], params);
}

// ---------------------------------------------------------------------------------------
// Scales

export function likelihoodThresholds(s: RosLikelihoodScale): Thresholds {
  return s.thresholds ?? (s.basis === "year" ? DSB_YEAR_THRESHOLDS : PERIOD_THRESHOLDS);
}

export function consequenceThresholds(s: RosScales, m: RosMetric): Thresholds {
  return s.consequence[m] ?? DEFAULT_CONSEQUENCE_THRESHOLDS[m];
}

/** Category 1–5: 1 + the number of thresholds reached (as `category` in solver/src/ros.rs). */
export function category(t: Thresholds, v: number): number {
  return 1 + t.filter((x) => v >= x).length;
}

export function score(likelihood: number, consequence: number): number {
  return likelihood * consequence;
}

/** Colour of a cell (as `Acceptance::level` in solver/src/ros.rs). */
export function level(a: RosAcceptance, likelihood: number, consequence: number): RosLevel {
  const s = score(likelihood, consequence);
  return s >= a.redFrom ? "red" : s >= a.yellowFrom ? "yellow" : "green";
}

/** Numbers the way the locale writes them. */
export function fmtNum(n: number, locale: Locale, maxDigits = 0, minDigits = 0): string {
  return n.toLocaleString(locale === "nb" ? "nb-NO" : "en-GB", {
    minimumFractionDigits: minDigits,
    maximumFractionDigits: maxDigits,
  });
}

/** A probability in percent with as many decimals as it needs: 23 %, 4,5 %, 0,1 %. */
export function fmtPct(p: number, locale: Locale): string {
  const v = Math.abs(p * 100);
  const digits = v === 0 || v >= 10 ? 0 : v >= 1 ? 1 : v >= 0.1 ? 1 : 2;
  return `${fmtNum(p * 100, locale, digits)} %`;
}

/** Kroner: "1 234 567 kr" in bokmål, "NOK 1,234,567" in English. */
export function fmtNok(n: number, locale: Locale): string {
  return locale === "nb" ? `${fmtNum(n, locale)} kr` : `NOK ${fmtNum(n, locale)}`;
}

/** A value of a metric: kroner for the cost metrics, else a count (one decimal at most). */
export function fmtMetric(m: RosMetric, v: number, locale: Locale): string {
  return isCostMetric(m) ? fmtNok(v, locale) : fmtNum(v, locale, 1);
}

/** Threshold label of each category 1–5 of a scale: "< 1 %", "1–5 %", …, "≥ 50 %". */
export function categoryLabels(t: Thresholds, fmt: (v: number) => string, unit = ""): string[] {
  const u = unit ? ` ${unit}` : "";
  return CATEGORIES.map((c) => {
    if (c === 1) return `< ${fmt(t[0])}${u}`;
    if (c === 5) return `≥ ${fmt(t[3])}${u}`;
    return `${fmt(t[c - 2])}–${fmt(t[c - 1])}${u}`;
  });
}

/** Labels of the likelihood categories 1–5 in percent. */
export function likelihoodLabels(s: RosLikelihoodScale, locale: Locale): string[] {
  const per = s.basis === "year" ? ` ${msg(locale, "ros.perYear")}` : "";
  return categoryLabels(likelihoodThresholds(s), (v) => fmtNum(v * 100, locale, 2), "%").map((l) => l + per);
}

/** Labels of the consequence categories 1–5 of a metric ("3–10", "100 000–300 000 kr");
 * `compact` writes kroner in millions ("0,1–0,3 mill. kr") to fit under a matrix column. */
export function consequenceLabels(s: RosScales, m: RosMetric, locale: Locale, compact = false): string[] {
  const t = consequenceThresholds(s, m);
  if (!isCostMetric(m)) return categoryLabels(t, (v) => fmtNum(v, locale, 1));
  if (compact) return categoryLabels(t, (v) => fmtNum(v / 1e6, locale, 2), msg(locale, "ros.millionNok"));
  return categoryLabels(t, (v) => fmtNum(v, locale), locale === "nb" ? "kr" : "NOK");
}

/** Checks 4 thresholds: finite, ≥ 0, strictly increasing, and ≤ 1 for probabilities. */
export function thresholdsValid(t: number[], probability: boolean): boolean {
  return (
    t.length === 4 &&
    t.every((x) => Number.isFinite(x) && x >= 0) &&
    t.every((x, i) => i === 0 || t[i - 1] < x) &&
    (!probability || t[3] <= 1)
  );
}

// ---------------------------------------------------------------------------------------
// Estimates

/** "23 % (95 %-KI 19–27 %)" */
export function probabilityText(e: Pick<RosEstimate, "probability" | "low" | "high">, locale: Locale): string {
  return msg(locale, "ros.probCi", { p: fmtPct(e.probability, locale), low: fmtPct(e.low, locale).replace(/ %$/, ""), high: fmtPct(e.high, locale) });
}

/** Percentage points with a sign: "−4,2" (the unit is added by the caller). */
export function fmtPp(delta: number, locale: Locale): string {
  const v = delta * 100;
  const r = Math.round(v * 10) / 10;
  if (r === 0) return fmtNum(0, locale, 1, 1);
  const s = fmtNum(Math.abs(r), locale, 1, 1);
  return r < 0 ? `−${s}` : `+${s}`;
}

/** "−4,2 %-poeng (95 %-KI −6,0 til −2,4)" */
export function deltaText(delta: number, low: number, high: number, locale: Locale): string {
  return msg(locale, "ros.deltaCi", { d: fmtPp(delta, locale), low: fmtPp(low, locale), high: fmtPp(high, locale) });
}

/** "S4 · K3" (likelihood, consequence). */
export function cellText(c: { likelihood: number; consequence: number }, locale: Locale): string {
  return msg(locale, "ros.cellShort", { l: c.likelihood, c: c.consequence });
}

export function sameCell(a: { likelihood: number; consequence: number }, b: { likelihood: number; consequence: number }): boolean {
  return a.likelihood === b.likelihood && a.consequence === b.consequence;
}

// ---------------------------------------------------------------------------------------
// Matrix placement

/** A workshop hazard with its number (1-based, workshop order) and its result, if assessed. */
export type Numbered = { n: number; hazard: RosHazard; result: RosHazardResult | null };

/** Hazards in workshop order, each with the assessment's result of the same id. */
export function numberedHazards(ws: RosWorkshop, a: RosAssessment | null | undefined): Numbered[] {
  const byId = new Map((a?.hazards ?? []).map((r) => [r.hazard.id, r]));
  return ws.hazards.map((hazard, i) => ({ n: i + 1, hazard, result: byId.get(hazard.id) ?? null }));
}

/** One chip in the matrix. `ghost`: the dashed mark where the hazard was (computed cell of an
 * overridden hazard, or its cell before the measure shown). */
export type Chip = {
  n: number;
  id: string;
  title: string;
  likelihood: number;
  consequence: number;
  ghost: boolean;
  /** Set by hand (override) — only in the view before measures. */
  hand: boolean;
  /** For a ghost: where the real chip is; for a moved chip: where it came from. */
  other: { likelihood: number; consequence: number } | null;
};

/** The view: -1 before measures, else the index of a measure in the assessment. */
export function placeChips(list: Numbered[], view: number): Chip[] {
  const chips: Chip[] = [];
  for (const { n, hazard, result } of list) {
    if (!result) continue;
    const base = { n, id: hazard.id, title: hazard.title };
    if (view < 0) {
      const inForce = result.cell;
      const computed = result.before.cell;
      const hand = !!result.hazard.override;
      const moved = hand && !sameCell(inForce, computed);
      chips.push({ ...base, likelihood: inForce.likelihood, consequence: inForce.consequence, ghost: false, hand, other: moved ? computed : null });
      if (moved) chips.push({ ...base, likelihood: computed.likelihood, consequence: computed.consequence, ghost: true, hand: false, other: inForce });
    } else {
      const eff = result.effects[view];
      if (!eff) continue;
      // The after cell is computed, so it is compared with the computed cell before.
      const before = result.before.cell;
      const after = eff.after.cell;
      const moved = !sameCell(before, after);
      chips.push({ ...base, likelihood: after.likelihood, consequence: after.consequence, ghost: false, hand: false, other: moved ? before : null });
      if (moved) chips.push({ ...base, likelihood: before.likelihood, consequence: before.consequence, ghost: true, hand: false, other: after });
    }
  }
  return chips;
}

/** Chips grouped by cell key `${likelihood}-${consequence}`, real chips before ghosts, by number. */
export function chipsByCell(chips: Chip[]): Map<string, Chip[]> {
  const m = new Map<string, Chip[]>();
  for (const c of chips) {
    const k = `${c.likelihood}-${c.consequence}`;
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(c);
  }
  for (const v of m.values()) v.sort((a, b) => Number(a.ghost) - Number(b.ghost) || a.n - b.n);
  return m;
}

/** Cells of the matrix, likelihood 5 (top) to 1 and consequence 1 (left) to 5. */
export function matrixCells(a: RosAcceptance): RosCell[][] {
  return [5, 4, 3, 2, 1].map((l) => CATEGORIES.map((c) => ({ likelihood: l, consequence: c, level: level(a, l, c) })));
}

// ---------------------------------------------------------------------------------------
// Measures

/** Measures in rank order (1 = best), each with its index in the workshop's order. */
export function rankedMeasures(a: RosAssessment): { index: number; m: RosMeasureResult }[] {
  return a.measures.map((m, index) => ({ index, m })).sort((x, y) => x.m.rank - y.m.rank || x.index - y.index);
}

export type Move = {
  n: number;
  title: string;
  before: RosCell;
  after: RosCell;
  hand: RosCell | null;
  delta: number;
  deltaLow: number;
  deltaHigh: number;
  improved: boolean;
  worse: boolean;
};

/** How measure `mi` moves each assessed hazard (computed cell before → after). */
export function measureMoves(list: Numbered[], mi: number): Move[] {
  const out: Move[] = [];
  for (const { n, hazard, result } of list) {
    const e = result?.effects[mi];
    if (!result || !e) continue;
    const sb = score(result.before.cell.likelihood, result.before.cell.consequence);
    const sa = score(e.after.cell.likelihood, e.after.cell.consequence);
    out.push({
      n,
      title: hazard.title,
      before: result.before.cell,
      after: e.after.cell,
      hand: result.hazard.override ? result.cell : null,
      delta: e.delta,
      deltaLow: e.deltaLow,
      deltaHigh: e.deltaHigh,
      improved: sa < sb,
      worse: sa > sb,
    });
  }
  return out;
}

export const CHANGE_KINDS: RosChange["kind"][] = ["floatPool", "agencyAgreement", "policy", "partTimeUplift", "crossTraining", "cohorting", "protection"];

// ---------------------------------------------------------------------------------------
// Fan charts

/** Rows for FanChart from a scenario outcome's fans; `suffix` tells before from after. */
export function rosFanRows(fans: RosFan[], dates: string[], label: (metric: string) => string, suffix = ""): FanRow[] {
  const rows: FanRow[] = [];
  for (const f of fans) {
    const series = suffix ? `${label(f.metric)} · ${suffix}` : label(f.metric);
    f.days.forEach(([p10, p50, p90], d) => {
      const iso = dates[d];
      if (!iso) return;
      rows.push({ date: new Date(dayNumber(iso) * 86_400_000), iso, series, p10, p50, p90, mean: f.mean[d] ?? p50 });
    });
  }
  return rows;
}

/** Fan charts behind a hazard, one per metric of its scenario: the baseline ("before") and,
 * with a measure chosen, the same scenario with the measure ("after") as a second facet of
 * the same chart, so that the two share the y scale. */
export function hazardFanGroups(
  a: RosAssessment,
  scenarioId: string,
  view: number,
  before: string,
  after: string,
): { metric: string; rows: FanRow[] }[] {
  const s = a.scenarios.find((x) => x.id === scenarioId);
  if (!s) return [];
  const m = view >= 0 ? s.withMeasures[view] : undefined;
  return s.baseline.fans.map((f) => {
    const rows = rosFanRows([f], a.dates, () => before);
    const g = m?.fans.find((x) => x.metric === f.metric);
    if (g) rows.push(...rosFanRows([g], a.dates, () => after));
    return { metric: f.metric, rows };
  });
}

// ---------------------------------------------------------------------------------------
// Hazard form

export type HazardForm = {
  id: string;
  title: string;
  description: string;
  causes: string;
  consequences: string;
  barriers: string;
  scenario: string;
  eventMetric: RosMetric;
  eventOp: "atLeast" | "moreThan";
  eventThreshold: string;
  consequenceMetric: RosMetric;
  statistic: RosStatistic;
  overrideOn: boolean;
  overrideLikelihood: number;
  overrideConsequence: number;
  overrideReason: string;
};

const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter((x) => x !== "");

export function hazardToForm(h: RosHazard, computed?: { likelihood: number; consequence: number }): HazardForm {
  const op = h.event.atLeast !== undefined && h.event.atLeast !== null ? "atLeast" : "moreThan";
  const thr = op === "atLeast" ? h.event.atLeast : h.event.moreThan;
  return {
    id: h.id,
    title: h.title,
    description: h.description,
    causes: h.causes.join("\n"),
    consequences: h.consequences.join("\n"),
    barriers: h.barriers.join("\n"),
    scenario: h.scenario,
    eventMetric: h.event.metric,
    eventOp: op,
    eventThreshold: thr === undefined || thr === null ? "" : String(thr),
    consequenceMetric: h.consequence.metric,
    statistic: h.consequence.statistic,
    overrideOn: !!h.override,
    overrideLikelihood: h.override?.likelihood ?? computed?.likelihood ?? 3,
    overrideConsequence: h.override?.consequence ?? computed?.consequence ?? 3,
    overrideReason: h.override?.reason ?? "",
  };
}

export function emptyHazardForm(scenario: string): HazardForm {
  return {
    id: "",
    title: "",
    description: "",
    causes: "",
    consequences: "",
    barriers: "",
    scenario,
    eventMetric: "shiftsWithoutNurse",
    eventOp: "atLeast",
    eventThreshold: "1",
    consequenceMetric: "shiftsWithoutNurse",
    statistic: "median",
    overrideOn: false,
    overrideLikelihood: 3,
    overrideConsequence: 3,
    overrideReason: "",
  };
}

/** An id from a title: lower case ASCII words joined by "-", unique among `taken`. */
export function slugId(title: string, taken: string[]): string {
  const base =
    title
      .toLowerCase()
      .replace(/æ/g, "ae")
      .replace(/ø/g, "o")
      .replace(/å/g, "a")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/g, "") || "hendelse";
  let id = base;
  for (let k = 2; taken.includes(id); k++) id = `${base}-${k}`;
  return id;
}

/** A form error: the field path (as the backend names it) and a message key. */
export type FormError = { path: string; key: MessageKey };

/** Parses a decimal written either way ("1,5" or "1.5"); NaN when it is not a number. */
export function parseDecimal(s: string): number {
  const t = s.trim().replace(/\s/g, "").replace(",", ".");
  return t === "" || !/^-?\d*\.?\d+$/.test(t) ? NaN : Number(t);
}

/**
 * The hazard the form describes, or the errors that stop it. `index` is its place in the
 * workshop (the new hazard's is the length of the list); paths are those of the backend
 * (`hazards[2].override.reason`) so its errors land on the same fields.
 */
export function formToHazard(f: HazardForm, ws: RosWorkshop, index: number): { hazard: RosHazard | null; errors: FormError[] } {
  const p = `hazards[${index}]`;
  const errors: FormError[] = [];
  const others = ws.hazards.filter((_, i) => i !== index).map((h) => h.id);
  const title = f.title.trim();
  if (!title) errors.push({ path: `${p}.title`, key: "ros.err.title" });
  let id = f.id.trim();
  if (!id) id = slugId(title, others);
  else if (others.includes(id)) errors.push({ path: `${p}.id`, key: "ros.err.idTaken" });
  if (!ws.scenarios.some((s) => s.id === f.scenario)) errors.push({ path: `${p}.scenario`, key: "ros.err.scenario" });
  const thr = parseDecimal(f.eventThreshold);
  if (!Number.isFinite(thr) || thr < 0) errors.push({ path: `${p}.event`, key: "ros.err.threshold" });
  const ovL = Number(f.overrideLikelihood);
  const ovC = Number(f.overrideConsequence);
  if (f.overrideOn) {
    if (![ovL, ovC].every((x) => Number.isInteger(x) && x >= 1 && x <= 5)) errors.push({ path: `${p}.override`, key: "ros.err.category" });
    if (!f.overrideReason.trim()) errors.push({ path: `${p}.override.reason`, key: "ros.err.reason" });
  }
  if (errors.length) return { hazard: null, errors };
  const hazard: RosHazard = {
    id,
    title,
    description: f.description.trim(),
    causes: lines(f.causes),
    consequences: lines(f.consequences),
    barriers: lines(f.barriers),
    scenario: f.scenario,
    event: f.eventOp === "atLeast" ? { metric: f.eventMetric, atLeast: thr } : { metric: f.eventMetric, moreThan: thr },
    consequence: { metric: f.consequenceMetric, statistic: f.statistic },
  };
  if (f.overrideOn) hazard.override = { likelihood: ovL, consequence: ovC, reason: f.overrideReason.trim() };
  return { hazard, errors: [] };
}

/** The form field an error path names (`hazards[2].override.reason` → `overrideReason`), or
 * null when the path is not about hazard `index`. */
export function formFieldOf(path: string, index: number): keyof HazardForm | "form" | null {
  const p = `hazards[${index}]`;
  if (path !== p && !path.startsWith(`${p}.`)) return null;
  const rest = path.slice(p.length + 1);
  const map: Record<string, keyof HazardForm> = {
    id: "id",
    title: "title",
    description: "description",
    causes: "causes",
    consequences: "consequences",
    barriers: "barriers",
    scenario: "scenario",
    event: "eventThreshold",
    "event.metric": "eventMetric",
    "event.atLeast": "eventThreshold",
    "event.moreThan": "eventThreshold",
    consequence: "consequenceMetric",
    "consequence.metric": "consequenceMetric",
    "consequence.statistic": "statistic",
    override: "overrideLikelihood",
    "override.likelihood": "overrideLikelihood",
    "override.consequence": "overrideConsequence",
    "override.reason": "overrideReason",
  };
  return map[rest] ?? (rest.startsWith("causes[") ? "causes" : rest.startsWith("consequences[") ? "consequences" : rest.startsWith("barriers[") ? "barriers" : "form");
}

// ---------------------------------------------------------------------------------------
// Scales form

export type ScalesForm = {
  basis: "period" | "year";
  /** Likelihood thresholds in percent. */
  likelihood: string[];
  yellowFrom: number;
  redFrom: number;
  consequence: Record<RosMetric, string[]>;
};

const strs = (t: number[], k = 1) => t.map((x) => String(Math.round(x * k * 1e6) / 1e6));

export function scalesToForm(s: RosScales): ScalesForm {
  const consequence = {} as Record<RosMetric, string[]>;
  for (const m of METRICS) consequence[m] = strs(consequenceThresholds(s, m));
  return {
    basis: s.likelihood.basis,
    likelihood: strs(likelihoodThresholds(s.likelihood), 100),
    yellowFrom: s.acceptance.yellowFrom,
    redFrom: s.acceptance.redFrom,
    consequence,
  };
}

const eq = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-12);

/** Scales from the form; thresholds equal to the defaults are left out (so defaults stay
 * defaults). Errors use the backend's paths. */
export function formToScales(f: ScalesForm): { scales: RosScales | null; errors: FormError[] } {
  const errors: FormError[] = [];
  const lik = f.likelihood.map((x) => parseDecimal(x) / 100);
  if (!thresholdsValid(lik, true)) errors.push({ path: "scales.likelihood.thresholds", key: "ros.err.thresholds" });
  const a = { yellowFrom: Number(f.yellowFrom), redFrom: Number(f.redFrom) };
  if (!(Number.isInteger(a.yellowFrom) && Number.isInteger(a.redFrom) && a.yellowFrom >= 1 && a.yellowFrom <= 25 && a.redFrom >= a.yellowFrom && a.redFrom <= 26))
    errors.push({ path: "scales.acceptance", key: "ros.err.acceptance" });
  const consequence: RosScales["consequence"] = {};
  for (const m of METRICS) {
    const t = f.consequence[m].map(parseDecimal);
    if (!thresholdsValid(t, false)) errors.push({ path: `scales.consequence.${m}`, key: "ros.err.thresholds" });
    else if (!eq(t, DEFAULT_CONSEQUENCE_THRESHOLDS[m])) consequence[m] = t as Thresholds;
  }
  if (errors.length) return { scales: null, errors };
  const def = f.basis === "year" ? DSB_YEAR_THRESHOLDS : PERIOD_THRESHOLDS;
  return {
    scales: {
      likelihood: eq(lik, def) ? { basis: f.basis } : { basis: f.basis, thresholds: lik as Thresholds },
      consequence,
      acceptance: a,
    },
    errors: [],
  };
}

/** "16.02.2026 kl. 13:42" from a local ISO date-time ("2026-02-16T13:42:00"). */
export function formatAssessedAt(iso: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const date = `${m[3]}.${m[2]}.${m[1]}`;
  return m[4] ? msg(locale, "ros.at", { date, time: `${m[4]}:${m[5]}` }) : date;
}

/** Rough duration of a run (about 3.5 ms per simulated wave on a 2-core PC, measured on the
 * demo home), in words. */
export function runDuration(studies: number, runs: number, locale: Locale): string {
  const s = studies * runs * 0.0035;
  return s < 60 ? msg(locale, "ros.timeUnderMinute") : msg(locale, "ros.timeMinutes", { n: Math.max(2, Math.round(s / 60)) });
}

/** Studies a run makes: one baseline and one per measure for each scenario the hazards use. */
export function studyCount(ws: RosWorkshop): number {
  return new Set(ws.hazards.map((h) => h.scenario)).size * (1 + ws.measures.length);
}
