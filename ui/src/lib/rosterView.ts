// View rows for the roster grid, built from the grid model, absences and the checker's
// violations. Rows are immutable objects: an edit rebuilds only the rows it touched, and a
// cell object is reused when nothing in it changed, so Svelte updates only changed DOM.

import type { AbsenceKind } from "$bindings/AbsenceKind";
import type { Project } from "$bindings/Project";
import type { StaffHours } from "$bindings/StaffHours";
import type { Violation } from "$bindings/Violation";
import { contractMinutes, demandMin, heads, paidMinutes, type PlacedViolations } from "./cover";
import { formatHours } from "./dates";
import type { GridModel } from "./grid";

export type CellView = {
  day: number;
  text: string;
  sub: string; // absence or other-unit note, written (never colour alone)
  cls: string;
  viol: string | null; // explanations, one per line
  pinned: boolean;
};

export type RowView = {
  kind: "staff";
  key: string;
  row: number;
  id: string;
  name: string;
  skill: string;
  percent: number;
  cells: CellView[];
  hours: string;
  hoursCls: string;
  rowViol: string | null;
};

export type CoverView = {
  kind: "cover";
  key: string;
  unit: string;
  shift: string;
  cells: { day: number; text: string; cls: string; title: string; viol: string | null }[];
};

export type UnitView = { kind: "unit"; key: string; unit: string; name: string; count: number };

export type Item = UnitView | RowView | CoverView;

export type Texts = {
  message: (v: Violation) => string;
  absenceShort: (k: AbsenceKind) => string;
  coverTitle: (unit: string, shift: string, date: string, have: number, need: number) => string;
};

function sameCell(a: CellView, b: CellView): boolean {
  return a.text === b.text && a.sub === b.sub && a.cls === b.cls && a.viol === b.viol && a.pinned === b.pinned;
}

export class RosterView {
  private min: Map<string, Map<string, number[]>>;
  private contract: number[];
  private placed: PlacedViolations = { cell: new Map(), row: new Map(), day: new Map() };
  private coverViol = new Map<string, Violation[]>();
  private rows: RowView[] = [];
  private covers = new Map<string, CoverView>();
  private paid: Map<string, number>;
  // The checker's contract bounds per row (absence-aware, per-person overrides); until the
  // first check the margin uses the plain stillingsprosent estimate.
  private bounds: (StaffHours | undefined)[] = [];
  /** Short cohort label per "unit|cohort" ("iso", "ren"): shown as text, never colour alone. */
  private cohortShort = new Map<string, string>();
  private isolation: string;
  constructor(
    private project: Project,
    private grid: GridModel,
    private absent: (AbsenceKind | null)[][],
    private texts: Texts,
  ) {
    this.min = demandMin(project);
    this.contract = grid.staff.map((s) => contractMinutes(project, s.stillingsprosent));
    this.paid = new Map(project.shiftTypes.map((s) => [s.code, s.paidMinutes]));
    for (const u of project.units)
      for (const c of u.cohorts) this.cohortShort.set(`${u.id}|${c.id}`, c.name.slice(0, 3).toLowerCase());
    this.isolation = project.cohorting?.isolationCohort ?? "isolat";
    this.rows = grid.staff.map((_, r) => this.buildRow(r, null));
  }

  setViolations(placed: PlacedViolations, violations: Violation[]): Set<number> {
    const before = this.placed;
    this.placed = placed;
    this.coverViol = new Map();
    for (const v of violations)
      if ((v.staff === undefined || v.staff === null) && v.unit && v.shift && v.date) {
        const d = this.grid.dayIndex(v.date);
        if (d === undefined) continue;
        const k = `${v.unit}|${v.shift}|${d}`;
        const l = this.coverViol.get(k);
        if (l) l.push(v);
        else this.coverViol.set(k, [v]);
      }
    // Rows whose marks changed: those with violations before or now.
    const rows = new Set<number>();
    const days = this.grid.days;
    for (const m of [before.cell, placed.cell]) for (const k of m.keys()) rows.add(Math.floor(k / days));
    for (const m of [before.row, placed.row]) for (const k of m.keys()) rows.add(k);
    for (const r of rows) this.rows[r] = this.buildRow(r, this.rows[r]);
    this.covers.clear();
    return rows;
  }

  /** Takes the checker's contract bounds; rebuilds the rows whose bounds changed. */
  setHours(hours: StaffHours[]): void {
    const byId = new Map(hours.map((h) => [h.staff, h]));
    this.grid.staff.forEach((s, r) => {
      const h = byId.get(s.id);
      const old = this.bounds[r];
      if (
        old?.contractMinutes === h?.contractMinutes &&
        old?.minMinutes === h?.minMinutes &&
        old?.maxMinutes === h?.maxMinutes
      )
        return;
      this.bounds[r] = h;
      this.rows[r] = this.buildRow(r, this.rows[r]);
    });
  }

  refreshRows(rows: Iterable<number>): void {
    for (const r of rows) this.rows[r] = this.buildRow(r, this.rows[r]);
  }

  refreshCover(): void {
    this.covers.clear();
  }

  private joinMessages(list: Violation[] | undefined): string | null {
    return list && list.length ? list.map((v) => this.texts.message(v)).join("\n") : null;
  }

  private buildRow(r: number, prev: RowView | null): RowView {
    const s = this.grid.staff[r];
    const cells = this.grid.rowCells(r);
    const out: CellView[] = new Array(cells.length);
    for (let d = 0; d < cells.length; d++) {
      const c = cells[d];
      const abs = this.absent[r]?.[d] ?? null;
      const viol = this.joinMessages(this.placed.cell.get(r * this.grid.days + d));
      const shiftCls = c ? (["D", "A", "N"].includes(c.shift) ? `s-${c.shift}` : "s-other") : "";
      const cell: CellView = {
        day: d,
        text: c ? c.shift : abs ? this.texts.absenceShort(abs) : "",
        sub: c
          ? [
              c.unit !== s.unit ? c.unit : "",
              c.cohort ? (this.cohortShort.get(`${c.unit}|${c.cohort}`) ?? c.cohort) : "",
              abs ? this.texts.absenceShort(abs) : "",
            ]
              .filter(Boolean)
              .join(" ")
          : "",
        cls: `${shiftCls}${c?.cohort ? (c.cohort === this.isolation ? " co-iso" : " co-clean") : ""}${abs ? ` abs abs-${abs}` : ""}${viol ? " bad" : ""}${!c && !abs ? " off" : ""}`,
        viol,
        pinned: this.grid.isPinned(r, d),
      };
      const old = prev?.cells[d];
      out[d] = old && sameCell(old, cell) ? old : cell;
    }
    const paid = paidMinutes(this.project, this.grid, r);
    const b = this.bounds[r];
    const contract = b ? b.contractMinutes : this.contract[r];
    const rules = this.project.rules;
    const lo = b ? b.minMinutes : contract - (rules?.contractUnderMinutes ?? 480);
    const hi = b ? b.maxMinutes : contract + (rules?.contractOverMinutes ?? 480);
    const rowViol = this.joinMessages(this.placed.row.get(r));
    return {
      kind: "staff",
      key: `s-${s.id}`,
      row: r,
      id: s.id,
      name: s.name,
      skill: s.skills[0] ?? "",
      percent: s.stillingsprosent,
      cells: out,
      hours: `${formatHours(paid)} / ${formatHours(contract)}`,
      hoursCls: paid < lo ? "under" : paid > hi ? "over" : "",
      rowViol,
    };
  }

  cover(unit: string, shift: string, counted: Map<string, Map<string, number[]>>): CoverView {
    const key = `${unit}|${shift}`;
    const have = counted.get(unit)?.get(shift);
    const need = this.min.get(unit)?.get(shift);
    const cells = this.grid.dates.map((date, d) => {
      const h = have?.[d] ?? 0;
      const n = need?.[d] ?? 0;
      const viol = this.joinMessages(this.coverViol.get(`${unit}|${shift}|${d}`));
      return {
        day: d,
        text: n > 0 || h > 0 ? `${h}/${n}` : "",
        cls: h < n ? "short" : "",
        title: this.texts.coverTitle(unit, shift, date, h, n) + (viol ? `\n${viol}` : ""),
        viol,
      };
    });
    const prev = this.covers.get(key);
    const view: CoverView = { kind: "cover", key: `c-${key}`, unit, shift, cells };
    if (prev) {
      view.cells = view.cells.map((c, i) =>
        prev.cells[i].text === c.text && prev.cells[i].cls === c.cls && prev.cells[i].viol === c.viol && prev.cells[i].title === c.title ? prev.cells[i] : c,
      );
    }
    this.covers.set(key, view);
    return view;
  }

  /** The grid's items in display order: per unit a header, its people, its cover rows. */
  items(groups: { unit: string; name: string; rows: number[] }[], prevItems: Item[] = []): Item[] {
    const counted = heads(this.grid);
    const prevByKey = new Map(prevItems.map((i) => [i.key, i]));
    const out: Item[] = [];
    for (const g of groups) {
      const key = `u-${g.unit}`;
      const old = prevByKey.get(key);
      out.push(old && old.kind === "unit" && old.count === g.rows.length && old.name === g.name ? old : { kind: "unit", key, unit: g.unit, name: g.name, count: g.rows.length });
      for (const r of g.rows) out.push(this.rows[r]);
      for (const st of this.project.shiftTypes) {
        const cv = this.cover(g.unit, st.code, counted);
        const pv = prevByKey.get(cv.key);
        out.push(pv && pv.kind === "cover" && pv.cells.every((c, i) => c === cv.cells[i]) ? pv : cv);
      }
    }
    return out;
  }

  paidOf(code: string): number {
    return this.paid.get(code) ?? 0;
  }
}
