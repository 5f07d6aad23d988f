import { describe, expect, it } from "vitest";
import { GridModel } from "../src/lib/grid";
import { RosterView, type RowView } from "../src/lib/rosterView";
import { demoProject } from "../src/mock/data";

const texts = { message: () => "", absenceShort: () => "F", coverTitle: () => "" };

function row(view: RosterView, grid: GridModel, r: number): RowView {
  const items = view.items([{ unit: "all", name: "all", rows: grid.staff.map((_, i) => i) }]);
  return items.find((i) => i.kind === "staff" && i.row === r) as RowView;
}

describe("roster view hours margin", () => {
  it("uses the checker's absence-aware contract bounds once they arrive", () => {
    const p = demoProject();
    const grid = new GridModel(p, { assignments: [] });
    const view = new RosterView(p, grid, grid.staff.map(() => new Array(grid.days).fill(null)), texts);
    const s = grid.staff[0];
    // Before the first check: the stillingsprosent estimate, an empty row is under contract.
    expect(row(view, grid, 0).hoursCls).toBe("under");
    // A person on vacation most of the period: the checker's bounds allow 0 hours.
    view.setHours([{ staff: s.id, minutes: 0, contractMinutes: 600, minMinutes: 0, maxMinutes: 1200 }]);
    const r = row(view, grid, 0);
    expect(r.hoursCls).toBe("");
    expect(r.hours).toBe("0:00 / 10:00");
    // Over the checker's maximum.
    for (let d = 0; d < 3; d++) grid.setShift(0, d, "D");
    view.refreshRows([0]);
    view.setHours([{ staff: s.id, minutes: 0, contractMinutes: 600, minMinutes: 0, maxMinutes: 700 }]);
    expect(row(view, grid, 0).hoursCls).toBe("over");
  });
});

describe("roster view cohorts", () => {
  it("labels a cohort shift in text and class", () => {
    const p = demoProject();
    const grid = new GridModel(p, { assignments: [] });
    const view = new RosterView(p, grid, grid.staff.map(() => new Array(grid.days).fill(null)), texts);
    grid.setShift(0, 0, "D");
    const iso = p.units.find((u) => u.id === grid.staff[0].unit)!.cohorts.findIndex((c) => c.id === "isolat");
    for (let i = 0; i <= iso; i++) grid.cycleCohort(0, 0);
    view.refreshRows([0]);
    const cell = row(view, grid, 0).cells[0];
    expect(cell.sub).toBe("iso");
    expect(cell.cls).toContain("co-iso");
  });
});
