// Counting for the grid's margins: heads per unit × shift × day against minimum demand, paid
// hours against contract, absences per cell, and violations placed on cells. The checker
// (`check_roster`) stays the judge; these are display figures.

import type { AbsenceKind } from "$bindings/AbsenceKind";
import type { Project } from "$bindings/Project";
import type { Violation } from "$bindings/Violation";
import { WEEKDAY_CODES, dateRange, dayNumber, weekdayIndex } from "./dates";
import type { GridModel } from "./grid";

/** `min[unit][shift][day]`: minimum heads (all skills) from the demand lines. */
export function demandMin(project: Project): Map<string, Map<string, number[]>> {
  const dates = dateRange(project.start, project.days);
  // Later line for the same unit, shift, skill and day replaces an earlier one.
  const perSkill = new Map<string, number[]>();
  for (const d of project.demand) {
    const key = `${d.unit}|${d.shift}|${d.skill}`;
    let arr = perSkill.get(key);
    if (!arr) perSkill.set(key, (arr = dates.map(() => 0)));
    dates.forEach((date, i) => {
      if (d.weekdays && !d.weekdays.includes(WEEKDAY_CODES[weekdayIndex(date)])) return;
      if (d.dates && !d.dates.includes(date)) return;
      arr[i] = d.min;
    });
  }
  const out = new Map<string, Map<string, number[]>>();
  for (const [key, arr] of perSkill) {
    const [unit, shift] = key.split("|");
    if (!out.has(unit)) out.set(unit, new Map());
    const byShift = out.get(unit)!;
    const sum = byShift.get(shift) ?? dates.map(() => 0);
    arr.forEach((v, i) => (sum[i] += v));
    byShift.set(shift, sum);
  }
  return out;
}

/** Heads working per unit × shift × day. */
export function heads(grid: GridModel): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  for (let r = 0; r < grid.rows; r++) {
    const row = grid.rowCells(r);
    for (let d = 0; d < row.length; d++) {
      const c = row[d];
      if (!c) continue;
      let u = out.get(c.unit);
      if (!u) out.set(c.unit, (u = new Map()));
      let s = u.get(c.shift);
      if (!s) u.set(c.shift, (s = new Array(grid.days).fill(0)));
      s[d]++;
    }
  }
  return out;
}

/** Contract minutes over the horizon: stillingsprosent × full-time week × days / 7. */
export function contractMinutes(project: Project, stillingsprosent: number): number {
  const week = project.rules?.fullTimeWeekMinutes ?? 2130;
  return Math.round((Math.min(100, Math.max(0, stillingsprosent)) / 100) * week * (project.days / 7));
}

export function paidMinutes(project: Project, grid: GridModel, row: number): number {
  const paid = new Map(project.shiftTypes.map((s) => [s.code, s.paidMinutes]));
  let sum = 0;
  for (const c of grid.rowCells(row)) if (c) sum += paid.get(c.shift) ?? 0;
  return sum;
}

/** `absent[row][day]`: the absence kind, if any. */
export function absenceTable(project: Project, grid: GridModel): (AbsenceKind | null)[][] {
  const table = grid.staff.map(() => new Array<AbsenceKind | null>(grid.days).fill(null));
  const start = dayNumber(project.start);
  for (const a of project.absences) {
    const row = grid.rowIndex(a.staff);
    if (row === undefined) continue;
    const from = Math.max(0, dayNumber(a.from) - start);
    const to = Math.min(grid.days - 1, dayNumber(a.to) - start);
    for (let d = from; d <= to; d++) table[row][d] = a.kind;
  }
  return table;
}

/** Violations placed where the grid shows them: on a cell, on a person's row, on a day. */
export type PlacedViolations = {
  cell: Map<number, Violation[]>; // key row * days + day
  row: Map<number, Violation[]>; // person-level (hours, weekends) without a date
  day: Map<number, Violation[]>; // cover violations (no person)
};

export function placeViolations(grid: GridModel, violations: Violation[]): PlacedViolations {
  const out: PlacedViolations = { cell: new Map(), row: new Map(), day: new Map() };
  const push = (m: Map<number, Violation[]>, k: number, v: Violation) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (const v of violations) {
    const row = v.staff !== undefined && v.staff !== null ? grid.rowIndex(v.staff) : undefined;
    const day = v.date ? grid.dayIndex(v.date) : undefined;
    if (row !== undefined && day !== undefined) push(out.cell, row * grid.days + day, v);
    else if (row !== undefined) push(out.row, row, v);
    else if (day !== undefined) push(out.day, day, v);
  }
  return out;
}
