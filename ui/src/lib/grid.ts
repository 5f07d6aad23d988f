// The roster grid's model: plain TypeScript, no Svelte, unit-tested. Cells are addressed by
// (row, day) indexes; an edit is a list of cell changes so that undo and redo are exact and
// the view re-renders only the rows an edit touched.

import type { Assignment } from "$bindings/Assignment";
import type { Pin } from "$bindings/Pin";
import type { Project } from "$bindings/Project";
import type { Roster } from "$bindings/Roster";
import type { Staff } from "$bindings/Staff";
import { dateRange, dayNumber } from "./dates";

/** What a person works on a day (and for which patient cohort, when set); null is off. */
export type Cell = { shift: string; unit: string; cohort?: string } | null;

export type CellChange = { row: number; day: number; before: Cell; after: Cell };

/** One undoable step: a typed code, a clear, or an applied re-plan. */
export type Edit = { label: string; changes: CellChange[] };

export type Listener = (rows: Set<number>) => void;

function same(a: Cell, b: Cell): boolean {
  return (
    a === b ||
    (a !== null && b !== null && a.shift === b.shift && a.unit === b.unit && a.cohort === b.cohort)
  );
}

function cellOf(a: Assignment): Cell {
  return a.cohort ? { shift: a.shift, unit: a.unit, cohort: a.cohort } : { shift: a.shift, unit: a.unit };
}

export class GridModel {
  readonly staff: Staff[];
  readonly dates: string[];
  readonly shiftCodes: Set<string>;
  private cells: Cell[][];
  private pinSet = new Set<number>();
  private undoStack: Edit[] = [];
  private redoStack: Edit[] = [];
  /** Assignments the grid could not place (unknown person or date), kept and sent back. */
  readonly outside: Assignment[] = [];
  private listeners = new Set<Listener>();
  private rowOf = new Map<string, number>();
  private start: number;
  /** Cohort ids per unit, in the project's order. */
  private cohortsOf = new Map<string, string[]>();

  constructor(project: Project, roster: Roster | null, staffOrder?: Staff[]) {
    this.staff = staffOrder ?? project.staff;
    this.dates = dateRange(project.start, project.days);
    this.start = dayNumber(project.start);
    this.shiftCodes = new Set(project.shiftTypes.map((s) => s.code));
    this.staff.forEach((s, i) => this.rowOf.set(s.id, i));
    for (const u of project.units) this.cohortsOf.set(u.id, u.cohorts.map((c) => c.id));
    this.cells = this.staff.map(() => this.dates.map(() => null));
    for (const a of roster?.assignments ?? []) {
      const row = this.rowOf.get(a.staff);
      const day = dayNumber(a.date) - this.start;
      if (row === undefined || day < 0 || day >= this.dates.length || this.cells[row][day]) {
        this.outside.push(a);
      } else {
        this.cells[row][day] = cellOf(a);
      }
    }
  }

  get rows(): number {
    return this.staff.length;
  }
  get days(): number {
    return this.dates.length;
  }

  rowIndex(staffId: string): number | undefined {
    return this.rowOf.get(staffId);
  }
  dayIndex(date: string): number | undefined {
    const d = dayNumber(date) - this.start;
    return d >= 0 && d < this.dates.length ? d : undefined;
  }

  get(row: number, day: number): Cell {
    return this.cells[row][day];
  }

  rowCells(row: number): readonly Cell[] {
    return this.cells[row];
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(rows: Set<number>): void {
    for (const fn of this.listeners) fn(rows);
  }

  private applyChanges(changes: CellChange[], forward: boolean): Set<number> {
    const rows = new Set<number>();
    for (const c of forward ? changes : [...changes].reverse()) {
      this.cells[c.row][c.day] = forward ? c.after : c.before;
      rows.add(c.row);
    }
    return rows;
  }

  /** Applies a set of new cell values as one undoable edit; unchanged cells are skipped. */
  apply(label: string, values: { row: number; day: number; cell: Cell }[]): boolean {
    const changes: CellChange[] = [];
    for (const v of values) {
      const before = this.cells[v.row][v.day];
      if (!same(before, v.cell)) changes.push({ row: v.row, day: v.day, before, after: v.cell });
    }
    if (changes.length === 0) return false;
    this.undoStack.push({ label, changes });
    this.redoStack = [];
    this.emit(this.applyChanges(changes, true));
    return true;
  }

  /** Sets a shift code on a cell; the unit stays when the person already works there that day,
   * otherwise it is the person's home unit. An unknown code is refused (returns false). */
  setShift(row: number, day: number, code: string): boolean {
    if (!this.shiftCodes.has(code)) return false;
    const before = this.cells[row][day];
    const unit = before?.unit ?? this.staff[row].unit;
    // The cohort stays with the unit: a new shift code on the same cell keeps its mark.
    const cell: Cell = before?.cohort ? { shift: code, unit, cohort: before.cohort } : { shift: code, unit };
    return this.apply(`set ${code}`, [{ row, day, cell }]);
  }

  /** Steps a worked cell's cohort through its unit's cohorts and back to none. False when the
   * cell is off or the unit has no cohorts. */
  cycleCohort(row: number, day: number): boolean {
    const c = this.cells[row][day];
    const list = c ? (this.cohortsOf.get(c.unit) ?? []) : [];
    if (!c || list.length === 0) return false;
    const i = c.cohort ? list.indexOf(c.cohort) : -1;
    const next = list[i + 1];
    const cell: Cell = next ? { shift: c.shift, unit: c.unit, cohort: next } : { shift: c.shift, unit: c.unit };
    return this.apply(next ? `cohort ${next}` : "cohort none", [{ row, day, cell }]);
  }

  clear(row: number, day: number): boolean {
    return this.apply("clear", [{ row, day, cell: null }]);
  }

  canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): Edit | null {
    const e = this.undoStack.pop();
    if (!e) return null;
    this.redoStack.push(e);
    this.emit(this.applyChanges(e.changes, false));
    return e;
  }

  redo(): Edit | null {
    const e = this.redoStack.pop();
    if (!e) return null;
    this.undoStack.push(e);
    this.emit(this.applyChanges(e.changes, true));
    return e;
  }

  isPinned(row: number, day: number): boolean {
    return this.pinSet.has(row * this.days + day);
  }

  togglePin(row: number, day: number): boolean {
    const k = row * this.days + day;
    const on = !this.pinSet.has(k);
    if (on) this.pinSet.add(k);
    else this.pinSet.delete(k);
    this.emit(new Set([row]));
    return on;
  }

  pinCount(): number {
    return this.pinSet.size;
  }

  clearPins(): void {
    const rows = new Set([...this.pinSet].map((k) => Math.floor(k / this.days)));
    this.pinSet.clear();
    this.emit(rows);
  }

  /** Pinned cells for the planner: a shift in a unit, or a day off (shift null). */
  pins(): Pin[] {
    const out: Pin[] = [];
    for (const k of [...this.pinSet].sort((a, b) => a - b)) {
      const row = Math.floor(k / this.days);
      const day = k % this.days;
      const c = this.cells[row][day];
      const staff = this.staff[row].id;
      const date = this.dates[day];
      out.push({ staff, date, shift: c ? c.shift : null, unit: c ? c.unit : null });
    }
    return out;
  }

  /** Replaces the whole roster as one undoable edit, keeping pinned cells as they are. */
  replaceRoster(label: string, roster: Roster): boolean {
    const values: { row: number; day: number; cell: Cell }[] = [];
    const next: Cell[][] = this.staff.map(() => this.dates.map(() => null));
    for (const a of roster.assignments) {
      const row = this.rowOf.get(a.staff);
      const day = this.dayIndex(a.date);
      if (row !== undefined && day !== undefined) next[row][day] = cellOf(a);
    }
    for (let r = 0; r < this.rows; r++)
      for (let d = 0; d < this.days; d++)
        if (!this.isPinned(r, d)) values.push({ row: r, day: d, cell: next[r][d] });
    return this.apply(label, values);
  }

  /** The roster as data, sorted by staff order and date, with unplaceable entries kept. */
  toRoster(): Roster {
    const assignments: Assignment[] = [];
    for (let r = 0; r < this.rows; r++) {
      const id = this.staff[r].id;
      const row = this.cells[r];
      for (let d = 0; d < row.length; d++) {
        const c = row[d];
        if (c)
          assignments.push(
            c.cohort
              ? { staff: id, date: this.dates[d], shift: c.shift, unit: c.unit, cohort: c.cohort }
              : { staff: id, date: this.dates[d], shift: c.shift, unit: c.unit },
          );
      }
    }
    return { assignments: [...assignments, ...this.outside] };
  }
}

/** Staff ordered by home unit (in the project's unit order), then by name. */
export function groupByUnit(project: Project): { unit: string; name: string; staff: Staff[] }[] {
  return project.units
    .map((u) => ({
      unit: u.id,
      name: u.name,
      staff: project.staff
        .filter((s) => s.unit === u.id)
        .sort((a, b) => a.name.localeCompare(b.name, "nb")),
    }))
    .concat(
      // People whose unit is unknown still get a group, so nobody disappears from the grid.
      [{ unit: "", name: "?", staff: project.staff.filter((s) => !project.units.some((u) => u.id === s.unit)) }],
    )
    .filter((g) => g.staff.length > 0);
}

/** Moves a focus position by arrow keys, clamped to the grid. */
export function moveFocus(
  pos: { row: number; day: number },
  key: string,
  rows: number,
  days: number,
): { row: number; day: number } {
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi - 1, v));
  switch (key) {
    case "ArrowUp":
      return { row: clamp(pos.row - 1, rows), day: pos.day };
    case "ArrowDown":
      return { row: clamp(pos.row + 1, rows), day: pos.day };
    case "ArrowLeft":
      return { row: pos.row, day: clamp(pos.day - 1, days) };
    case "ArrowRight":
      return { row: pos.row, day: clamp(pos.day + 1, days) };
    case "Home":
      return { row: pos.row, day: 0 };
    case "End":
      return { row: pos.row, day: days - 1 };
    default:
      return pos;
  }
}

/** Typed characters to a shift code: exact match wins; a unique prefix waits for more. */
export function matchCode(typed: string, codes: Iterable<string>): { code: string | null; more: boolean } {
  const up = typed.toUpperCase();
  const list = [...codes];
  const exact = list.find((c) => c.toUpperCase() === up) ?? null;
  const longer = list.some((c) => c.length > up.length && c.toUpperCase().startsWith(up));
  return { code: exact, more: longer };
}
