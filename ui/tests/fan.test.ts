import { describe, expect, it } from "vitest";
import { fakeStudy } from "../src/mock/backend";
import { demoProject } from "../src/mock/data";
import { ABSENT_METRICS, daysWithoutNurse, fanRows, maxP90, uncoveredMetrics } from "../src/lib/fan";

describe("fan-chart data", () => {
  const r = fakeStudy(demoProject(), "test", 100, 100);
  it("gives one row per day and metric with ordered bands", () => {
    const rows = fanRows(r, ABSENT_METRICS, (m) => m.toUpperCase());
    expect(rows).toHaveLength(r.dates.length * 4);
    expect(new Set(rows.map((x) => x.series))).toEqual(new Set(ABSENT_METRICS.map((m) => m.toUpperCase())));
    for (const x of rows) expect(x.p10 <= x.p50 && x.p50 <= x.p90).toBe(true);
    expect(rows[0].date.toISOString().slice(0, 10)).toBe(r.dates[0]);
  });
  it("takes uncovered seats per skill then all", () => {
    expect(uncoveredMetrics(r)).toEqual(["uncovered.SPL", "uncovered.HFA", "uncovered.ASS", "uncovered"]);
  });
  it("skips unknown metrics", () => {
    expect(fanRows(r, ["nope"])).toEqual([]);
  });
  it("marks days without a nurse by P90 ≥ 1", () => {
    const k = r.metrics.indexOf("shiftsWithoutNurse");
    const days = daysWithoutNurse(r);
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(r.days[r.dates.indexOf(d)][k].p90).toBeGreaterThanOrEqual(1);
    expect(maxP90(fanRows(r, ["absentTotal"]))).toBeGreaterThan(0);
  });
});
