import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { RosWorkshop } from "../src/bindings/RosWorkshop";
import * as api from "../src/lib/api";
import {
  DEFAULT_CONSEQUENCE_THRESHOLDS,
  METRICS,
  category,
  categoryLabels,
  cellText,
  chipsByCell,
  consequenceLabels,
  deltaText,
  emptyHazardForm,
  fmtNok,
  fmtPct,
  formFieldOf,
  formToHazard,
  formToScales,
  formatAssessedAt,
  hazardFanGroups,
  hazardToForm,
  level,
  likelihoodLabels,
  matrixCells,
  measureMoves,
  numberedHazards,
  placeChips,
  probabilityText,
  rankedMeasures,
  rosFanRows,
  scalesToForm,
  slugId,
  studyCount,
  thresholdsValid,
} from "../src/lib/ros";
import { installMockBackend } from "../src/mock/backend";
import { demoAssessment, rankMeasures, regrade, sameEvidence, validateWorkshop } from "../src/mock/ros";

afterEach(() => clearMocks());

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("scales", () => {
  it("grades like the solver: 1 + thresholds reached", () => {
    const t: [number, number, number, number] = [0.01, 0.05, 0.2, 0.5];
    expect([0, 0.0099, 0.01, 0.12, 0.2, 0.49, 0.5, 1].map((p) => category(t, p))).toEqual([1, 1, 2, 3, 4, 4, 5, 5]);
  });
  it("colours by score with the acceptance criteria", () => {
    const a = { yellowFrom: 5, redFrom: 15 };
    expect(level(a, 1, 4)).toBe("green");
    expect(level(a, 1, 5)).toBe("yellow");
    expect(level(a, 3, 4)).toBe("yellow");
    expect(level(a, 3, 5)).toBe("red");
    expect(level({ yellowFrom: 3, redFrom: 10 }, 2, 5)).toBe("red");
    const cells = matrixCells(a);
    expect(cells[0].map((c) => c.likelihood)).toEqual([5, 5, 5, 5, 5]);
    expect(cells[4][0]).toEqual({ likelihood: 1, consequence: 1, level: "green" });
    expect(cells[0][4].level).toBe("red");
    expect(cells.flat().filter((c) => c.level === "red")).toHaveLength(6);
  });
  it("labels the categories with their thresholds", () => {
    expect(likelihoodLabels({ basis: "period" }, "nb")).toEqual(["< 1 %", "1–5 %", "5–20 %", "20–50 %", "≥ 50 %"]);
    expect(nbsp(likelihoodLabels({ basis: "year" }, "nb")[0])).toBe("< 0,1 % per år");
    expect(likelihoodLabels({ basis: "year" }, "en")[4]).toBe("≥ 10 % per year");
    expect(categoryLabels([1, 3, 10, 30], String)).toEqual(["< 1", "1–3", "3–10", "10–30", "≥ 30"]);
    const scales = { likelihood: { basis: "period" as const }, consequence: { peakAbsent: [2, 4, 6, 8] as [number, number, number, number] }, acceptance: { yellowFrom: 5, redFrom: 15 } };
    expect(consequenceLabels(scales, "peakAbsent", "nb")[2]).toBe("4–6");
    expect(consequenceLabels(scales, "shiftsWithoutNurse", "nb")[4]).toBe("≥ 30");
    expect(nbsp(consequenceLabels(scales, "extraCostNok", "nb")[1])).toBe("100 000–300 000 kr");
    expect(nbsp(consequenceLabels(scales, "extraCostNok", "nb", true)[1])).toBe("0,1–0,3 mill. kr");
  });
  it("mirrors the solver's default thresholds for every metric", () => {
    expect(Object.keys(DEFAULT_CONSEQUENCE_THRESHOLDS).sort()).toEqual([...METRICS].sort());
    for (const m of METRICS) expect(thresholdsValid(DEFAULT_CONSEQUENCE_THRESHOLDS[m], false)).toBe(true);
    expect(thresholdsValid([0.1, 0.05, 0.2, 0.5], true)).toBe(false);
    expect(thresholdsValid([0.01, 0.05, 0.2, 1.5], true)).toBe(false);
    expect(thresholdsValid([1, 2, 3, 1500], false)).toBe(true);
  });
  it("round-trips the scales form and keeps defaults implicit", () => {
    const f = scalesToForm({ likelihood: { basis: "period" }, consequence: {}, acceptance: { yellowFrom: 5, redFrom: 15 } });
    expect(f.likelihood).toEqual(["1", "5", "20", "50"]);
    expect(formToScales(f).scales).toEqual({ likelihood: { basis: "period" }, consequence: {}, acceptance: { yellowFrom: 5, redFrom: 15 } });
    f.likelihood[3] = "40";
    f.consequence.peakAbsent = ["4", "8", "16", "24"];
    f.redFrom = 12;
    const s = formToScales(f).scales!;
    expect(s.likelihood.thresholds).toEqual([0.01, 0.05, 0.2, 0.4]);
    expect(s.consequence).toEqual({ peakAbsent: [4, 8, 16, 24] });
    expect(s.acceptance).toEqual({ yellowFrom: 5, redFrom: 12 });
    f.likelihood[0] = "30";
    f.yellowFrom = 13;
    f.consequence.cohortCrossings[1] = "x";
    const bad = formToScales(f);
    expect(bad.scales).toBeNull();
    expect(bad.errors.map((e) => e.path).sort()).toEqual(["scales.acceptance", "scales.consequence.cohortCrossings", "scales.likelihood.thresholds"]);
  });
});

describe("formatting", () => {
  it("writes probabilities with their 95 % interval", () => {
    expect(nbsp(probabilityText({ probability: 0.23, low: 0.19, high: 0.27 }, "nb"))).toBe("23 % (95 %-KI 19–27 %)");
    expect(nbsp(probabilityText({ probability: 0.13, low: 0.0776, high: 0.2098 }, "nb"))).toBe("13 % (95 %-KI 7,8–21 %)");
    expect(probabilityText({ probability: 0.23, low: 0.19, high: 0.27 }, "en")).toBe("23 % (95% CI 19–27 %)");
    expect(nbsp(fmtPct(0.001, "nb"))).toBe("0,1 %");
    expect(fmtPct(0, "en")).toBe("0 %");
  });
  it("writes changes in percentage points with a sign and their interval", () => {
    expect(nbsp(deltaText(-0.35, -0.444, -0.256, "nb"))).toBe("−35,0 %-poeng (95 %-KI −44,4 til −25,6)");
    expect(deltaText(0.01, -0.034, 0.054, "en")).toBe("+1.0 pp (95% CI −3.4 to +5.4)");
    expect(deltaText(0, 0, 0, "en")).toBe("0.0 pp (95% CI 0.0 to 0.0)");
  });
  it("writes kroner and cells", () => {
    expect(nbsp(fmtNok(1234567, "nb"))).toBe("1 234 567 kr");
    expect(fmtNok(-113566.9, "en")).toBe("NOK -113,567");
    expect(cellText({ likelihood: 4, consequence: 2 }, "nb")).toBe("S4 · K2");
    expect(cellText({ likelihood: 4, consequence: 2 }, "en")).toBe("L4 · C2");
    expect(formatAssessedAt("2026-02-16T13:42:07", "nb")).toBe("16.02.2026 kl. 13:42");
    expect(formatAssessedAt("2026-02-16", "en")).toBe("16.02.2026");
  });
});

describe("matrix placement", () => {
  const a = demoAssessment();
  const list = numberedHazards(a.workshop, a);

  it("numbers hazards in workshop order and matches results by id", () => {
    expect(list.map((x) => x.n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(list.every((x) => x.result?.hazard.id === x.hazard.id)).toBe(true);
    const ws: RosWorkshop = { ...a.workshop, hazards: [{ ...a.workshop.hazards[0], id: "ny" }, a.workshop.hazards[2]] };
    const l2 = numberedHazards(ws, a);
    expect(l2.map((x) => [x.n, x.result?.hazard.id ?? null])).toEqual([[1, null], [2, "vikarkostnad"]]);
  });

  it("puts an overridden hazard in the hand-set cell with a ghost in the computed one", () => {
    const chips = placeChips(list, -1);
    const four = chips.filter((c) => c.n === 4);
    expect(four).toHaveLength(2);
    const real = four.find((c) => !c.ghost)!;
    const ghost = four.find((c) => c.ghost)!;
    expect([real.likelihood, real.consequence, real.hand]).toEqual([4, 4, true]);
    expect([ghost.likelihood, ghost.consequence]).toEqual([5, 2]);
    expect(ghost.other).toEqual({ likelihood: 4, consequence: 4, level: "red" });
    // No other hazard has a ghost before measures.
    expect(chips.filter((c) => c.ghost).map((c) => c.n)).toEqual([4]);
    const cells = chipsByCell(chips);
    expect(cells.get("4-2")!.map((c) => c.n)).toEqual([1, 6]);
    expect(cells.get("5-5")!.map((c) => c.n)).toEqual([5]);
  });

  it("moves chips to the after-cells of a measure, ghosting the computed before-cells", () => {
    const mi = a.workshop.measures.findIndex((m) => m.id === "smittevern");
    const chips = placeChips(list, mi);
    const at = (n: number, ghost: boolean) => chips.find((c) => c.n === n && c.ghost === ghost);
    expect([at(3, false)!.likelihood, at(3, false)!.consequence]).toEqual([4, 3]);
    expect([at(3, true)!.likelihood, at(3, true)!.consequence]).toEqual([5, 4]);
    expect([at(2, false)!.likelihood, at(2, false)!.consequence]).toEqual([2, 2]);
    // Hazard 1 does not move: no ghost; the override of 4 does not apply after measures.
    expect(at(1, true)).toBeUndefined();
    expect(at(4, false)!.hand).toBe(false);
    expect([at(4, false)!.likelihood, at(4, false)!.consequence]).toEqual([5, 2]);
    expect(placeChips(list, 99)).toEqual([]);
  });

  it("lists each hazard's move and change of probability for a measure", () => {
    const mi = a.workshop.measures.findIndex((m) => m.id === "vikarpool");
    const moves = measureMoves(list, mi);
    expect(moves).toHaveLength(6);
    const m1 = moves[0];
    expect([m1.before.likelihood, m1.after.likelihood, m1.improved]).toEqual([4, 2, true]);
    expect(m1.delta).toBeCloseTo(-0.35, 6);
    expect(m1.deltaLow).toBeLessThan(m1.delta);
    expect(m1.deltaHigh).toBeGreaterThan(m1.delta);
    expect(moves[3].hand).toEqual({ likelihood: 4, consequence: 4, level: "red" });
    expect(moves.filter((m) => m.improved).length).toBe(a.measures[mi].hazardsImproved);
  });

  it("ranks measures by the solver's rank", () => {
    const r = rankedMeasures(a);
    expect(r.map((x) => x.m.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r[0].m.measure.id).toBe("smittevern");
    expect(r[0].m.reductionPer100k).toBeNull();
  });
});

describe("fan charts behind a hazard", () => {
  const a = demoAssessment();
  it("turns RosFan bands into FanChart rows on the assessment's dates", () => {
    const fans = a.scenarios[0].baseline.fans;
    const rows = rosFanRows(fans, a.dates, (m) => m.toUpperCase());
    expect(rows).toHaveLength(fans.length * a.dates.length);
    expect(rows[0].iso).toBe(a.dates[0]);
    expect(rows[0].date.toISOString().slice(0, 10)).toBe(a.dates[0]);
    expect(rows[0].series).toBe("ABSENTTOTAL");
    const [p10, p50, p90] = fans[0].days[20];
    expect([rows[20].p10, rows[20].p50, rows[20].p90, rows[20].mean]).toEqual([p10, p50, p90, fans[0].mean[20]]);
  });
  it("gives one chart per metric, with the measure as a second facet", () => {
    const before = hazardFanGroups(a, "alvorlig", -1, "uten", "med");
    expect(before.map((g) => g.metric)).toEqual(["absentTotal", "uncovered", "shiftsWithoutNurse"]);
    expect(new Set(before[0].rows.map((r) => r.series))).toEqual(new Set(["uten"]));
    const after = hazardFanGroups(a, "alvorlig", 5, "før", "med");
    expect(after[0].rows).toHaveLength(2 * a.dates.length);
    expect(after[0].rows[a.dates.length].series).toBe("med");
    expect(after[0].rows[a.dates.length + 20].p50).toBe(a.scenarios[0].withMeasures[5].fans[0].days[20][1]);
    expect(hazardFanGroups(a, "finnes-ikke", -1, "a", "b")).toEqual([]);
  });
});

describe("hazard form", () => {
  const a = demoAssessment();
  const ws = a.workshop;

  it("round-trips a hazard with an override", () => {
    const h = ws.hazards[3];
    const f = hazardToForm(h);
    expect(f.overrideOn).toBe(true);
    expect(f.causes.split("\n")).toEqual(h.causes);
    const back = formToHazard(f, ws, 3);
    expect(back.errors).toEqual([]);
    expect(back.hazard).toEqual(h);
  });

  it("builds a new hazard with an id from its title and line lists", () => {
    const f = emptyHazardForm("mild");
    f.title = "Få sykepleiere på natt, Åsheim";
    f.causes = "Ferie\n\n  Sykdom  \n";
    f.eventOp = "moreThan";
    f.eventThreshold = "2,5";
    const { hazard, errors } = formToHazard(f, ws, ws.hazards.length);
    expect(errors).toEqual([]);
    expect(hazard!.id).toBe("fa-sykepleiere-pa-natt-asheim");
    expect(hazard!.causes).toEqual(["Ferie", "Sykdom"]);
    expect(hazard!.event).toEqual({ metric: "shiftsWithoutNurse", moreThan: 2.5 });
    expect(hazard!.override).toBeUndefined();
    expect(slugId("Vakt uten sykepleier", ["vakt-uten-sykepleier"])).toBe("vakt-uten-sykepleier-2");
  });

  it("requires a reason for a hand-set cell and names the backend's paths", () => {
    const f = hazardToForm(ws.hazards[0], { likelihood: 4, consequence: 2 });
    expect([f.overrideLikelihood, f.overrideConsequence]).toEqual([4, 2]);
    f.overrideOn = true;
    f.overrideReason = "   ";
    f.title = "";
    f.eventThreshold = "mange";
    f.id = ws.hazards[1].id;
    const { hazard, errors } = formToHazard(f, ws, 0);
    expect(hazard).toBeNull();
    expect(errors.map((e) => e.path).sort()).toEqual(["hazards[0].event", "hazards[0].id", "hazards[0].override.reason", "hazards[0].title"]);
    expect(errors.find((e) => e.path.endsWith("reason"))!.key).toBe("ros.err.reason");
  });

  it("maps error paths to form fields", () => {
    expect(formFieldOf("hazards[2].override.reason", 2)).toBe("overrideReason");
    expect(formFieldOf("hazards[2].event", 2)).toBe("eventThreshold");
    expect(formFieldOf("hazards[2].causes[1]", 2)).toBe("causes");
    expect(formFieldOf("hazards[2].whatever", 2)).toBe("form");
    expect(formFieldOf("hazards[12].title", 1)).toBeNull();
    expect(formFieldOf("hazards[1].title", 12)).toBeNull();
    expect(formFieldOf("scales.acceptance", 0)).toBeNull();
  });
});

describe("mock backend for the ROS screen", () => {
  it("re-grades an override at once and keeps the computed cell", () => {
    const a = demoAssessment();
    const ws = structuredClone(a.workshop);
    ws.hazards[0].override = { likelihood: 2, consequence: 5, reason: "Erfaring" };
    expect(regrade(a, ws)).toBe(true);
    expect(a.hazards[0].cell).toEqual({ likelihood: 2, consequence: 5, level: "yellow" });
    expect(a.hazards[0].before.cell).toEqual({ likelihood: 4, consequence: 2, level: "yellow" });
  });
  it("re-grades new scales and re-ranks measures after a price change", () => {
    const a = demoAssessment();
    const ws = structuredClone(a.workshop);
    ws.scales.acceptance = { yellowFrom: 3, redFrom: 8 };
    ws.measures[3].costNok = 0; // stillinger: now free, so it ranks among the free ones
    expect(regrade(a, ws)).toBe(true);
    expect(a.hazards[0].before.cell.level).toBe("red");
    const m = a.measures[3];
    expect(m.totalCostNok).toBeLessThan(0);
    expect(m.reductionPer100k).toBeNull();
    // Free measures first by reduction: smittevern 1,04, test-ut 0,22, stillinger 0,18.
    expect(m.rank).toBe(3);
    expect(new Set(a.measures.map((x) => x.rank))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    const copy = structuredClone(a.measures);
    rankMeasures(copy);
    expect(copy.map((x) => x.rank)).toEqual(a.measures.map((x) => x.rank));
  });
  it("needs new simulations when an event changes", () => {
    const a = demoAssessment();
    const ws = structuredClone(a.workshop);
    ws.hazards[1].event = { metric: "maxWeekUncovered", atLeast: 5 };
    expect(sameEvidence(a, ws)).toBe(false);
    expect(regrade(a, ws)).toBe(false);
    expect(studyCount(ws)).toBe(14);
  });
  it("validates overrides like the backend", () => {
    const ws = demoAssessment().workshop;
    ws.hazards[2].override = { likelihood: 3, consequence: 3, reason: "" };
    expect(validateWorkshop(ws).map((e) => e.path)).toEqual(["hazards[2].override.reason"]);
  });
  it("answers open, save (with field errors), run with progress, cancel and export", async () => {
    installMockBackend({ rosDelayMs: 60 });
    const d = await api.openRos(1);
    expect(d.saved).toBe(false);
    expect(d.assessment!.hazards).toHaveLength(6);
    const ws = structuredClone(d.workshop);
    ws.hazards[0].override = { likelihood: 1, consequence: 1, reason: "" };
    await expect(api.saveRos(1, ws)).rejects.toMatchObject({ fields: [{ path: "hazards[0].override.reason" }] });
    ws.hazards[0].override.reason = "Vurdert av gruppen";
    const saved = await api.saveRos(1, ws);
    expect(saved.stale).toBe(false);
    expect(saved.assessment!.hazards[0].cell.likelihood).toBe(1);
    ws.hazards[0].scenario = "mild";
    expect((await api.saveRos(1, ws)).stale).toBe(true);
    const progress: number[] = [];
    const job = api.runRos(1, { runs: 200 }, (p) => progress.push(p.done));
    const done = await job.result;
    expect(done.stale).toBe(false);
    expect(done.assessment!.runs).toBe(200);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(14 * 200);
    const job2 = api.runRos(1, { runs: 200 }, () => {});
    await new Promise((r) => setTimeout(r, 15));
    expect(await job2.cancel()).toBe(true);
    await expect(job2.result).rejects.toMatchObject({ message: expect.stringMatching(/^Avbrutt etter \d+ av 2800 scenarier$/) });
    expect((await api.exportRosReport(1, "pdf")).path).toMatch(/\.pdf$/);
  });
});
