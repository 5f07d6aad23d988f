// Shapes a study's per-day bands into rows for fan charts (P10–P90 band, P50 line).
import type { StudyResult } from "$bindings/StudyResult";
import { dayNumber } from "./dates";

export type FanRow = { date: Date; iso: string; series: string; p10: number; p50: number; p90: number; mean: number };

/** One row per day and metric, for the metrics asked (labelled by `label`). */
export function fanRows(result: StudyResult, metrics: string[], label: (m: string) => string = (m) => m): FanRow[] {
  const rows: FanRow[] = [];
  for (const m of metrics) {
    const k = result.metrics.indexOf(m);
    if (k < 0) continue;
    result.dates.forEach((iso, d) => {
      const b = result.days[d]?.[k];
      if (!b) return;
      rows.push({ date: new Date(dayNumber(iso) * 86_400_000), iso, series: label(m), p10: Number(b.p10), p50: Number(b.p50), p90: Number(b.p90), mean: b.mean });
    });
  }
  return rows;
}

export const ABSENT_METRICS = ["absentIsolation", "absentQuarantine", "absentSick", "absentTotal"];

/** `uncovered.<skill>` for every skill of the study, then all uncovered. */
export function uncoveredMetrics(result: StudyResult): string[] {
  return [...result.skills.map((k) => `uncovered.${k}`), "uncovered"];
}

/** Days on which at least one scenario in ten has a shift without a nurse (P90 ≥ 1). */
export function daysWithoutNurse(result: StudyResult): string[] {
  const k = result.metrics.indexOf("shiftsWithoutNurse");
  if (k < 0) return [];
  return result.dates.filter((_, d) => Number(result.days[d]?.[k]?.p90 ?? 0) >= 1);
}

/** The largest P90 across rows, for a shared y scale when two studies are compared. */
export function maxP90(rows: FanRow[]): number {
  return rows.reduce((m, r) => Math.max(m, r.p90), 0);
}
