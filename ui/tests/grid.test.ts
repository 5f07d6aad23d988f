import { describe, expect, it } from "vitest";
import type { Project } from "$bindings/Project";
import { GridModel, groupByUnit, matchCode, moveFocus } from "../src/lib/grid";
import { demoProject, demoRoster } from "../src/mock/data";

function small(): Project {
  const p = demoProject();
  return { ...p, days: 7, staff: p.staff.slice(0, 3) };
}

describe("grid model", () => {
  it("loads a roster and gives it back unchanged", () => {
    const p = demoProject();
    const r = demoRoster();
    const g = new GridModel(p, r);
    const key = (a: { staff: string; date: string }) => `${a.staff}|${a.date}`;
    expect(g.toRoster().assignments.map(key).sort()).toEqual(r.assignments.map(key).sort());
  });
  it("sets, clears, undoes and redoes", () => {
    const g = new GridModel(small(), { assignments: [] });
    const seen: number[][] = [];
    g.subscribe((rows) => seen.push([...rows]));
    expect(g.setShift(1, 2, "N")).toBe(true);
    expect(g.get(1, 2)).toEqual({ shift: "N", unit: g.staff[1].unit });
    expect(g.setShift(1, 2, "N")).toBe(false); // no change, no undo step
    expect(g.setShift(1, 2, "X")).toBe(false); // unknown code refused
    g.setShift(1, 3, "D");
    g.clear(1, 2);
    expect(g.get(1, 2)).toBeNull();
    g.undo();
    expect(g.get(1, 2)?.shift).toBe("N");
    g.undo();
    g.undo();
    expect(g.get(1, 2)).toBeNull();
    expect(g.get(1, 3)).toBeNull();
    expect(g.canUndo()).toBe(false);
    g.redo();
    expect(g.get(1, 2)?.shift).toBe("N");
    g.setShift(0, 0, "A"); // a new edit drops the redo stack
    expect(g.canRedo()).toBe(false);
    expect(seen.every((rows) => rows.length === 1)).toBe(true);
  });
  it("keeps the unit of an existing shift when the code changes", () => {
    const p = small();
    const g = new GridModel(p, { assignments: [{ staff: p.staff[0].id, date: p.start, shift: "D", unit: "KT" }] });
    g.setShift(0, 0, "A");
    expect(g.get(0, 0)).toEqual({ shift: "A", unit: "KT" });
  });
  it("pins cells and keeps them through a re-plan", () => {
    const p = small();
    const g = new GridModel(p, { assignments: [] });
    g.setShift(0, 0, "D");
    g.togglePin(0, 0);
    g.togglePin(2, 1); // a pinned day off
    expect(g.pins()).toEqual([
      { staff: p.staff[0].id, date: p.start, shift: "D", unit: p.staff[0].unit },
      { staff: p.staff[2].id, date: "2026-03-03", shift: null, unit: null },
    ]);
    g.replaceRoster("plan", { assignments: [
      { staff: p.staff[0].id, date: p.start, shift: "N", unit: "LT" },
      { staff: p.staff[2].id, date: "2026-03-03", shift: "A", unit: "LT" },
      { staff: p.staff[1].id, date: "2026-03-04", shift: "A", unit: "LT" },
    ] });
    expect(g.get(0, 0)?.shift).toBe("D");
    expect(g.get(2, 1)).toBeNull();
    expect(g.get(1, 2)?.shift).toBe("A");
    g.undo(); // the whole re-plan is one step
    expect(g.get(1, 2)).toBeNull();
    g.togglePin(0, 0);
    expect(g.pinCount()).toBe(1);
  });
  it("keeps assignments it cannot place", () => {
    const p = small();
    const g = new GridModel(p, { assignments: [{ staff: "nobody", date: p.start, shift: "D", unit: "LT" }] });
    expect(g.toRoster().assignments).toHaveLength(1);
  });
  it("moves focus with arrows inside the grid", () => {
    expect(moveFocus({ row: 0, day: 0 }, "ArrowUp", 3, 7)).toEqual({ row: 0, day: 0 });
    expect(moveFocus({ row: 0, day: 6 }, "ArrowRight", 3, 7)).toEqual({ row: 0, day: 6 });
    expect(moveFocus({ row: 1, day: 3 }, "ArrowDown", 3, 7)).toEqual({ row: 2, day: 3 });
    expect(moveFocus({ row: 1, day: 3 }, "Home", 3, 7)).toEqual({ row: 1, day: 0 });
  });
  it("matches typed codes, waiting for longer ones", () => {
    expect(matchCode("n", ["D", "A", "N"])).toEqual({ code: "N", more: false });
    expect(matchCode("D", ["D", "D2"])).toEqual({ code: "D", more: true });
    expect(matchCode("X", ["D"])).toEqual({ code: null, more: false });
  });
  it("groups staff by unit in the project's order", () => {
    const groups = groupByUnit(demoProject());
    expect(groups.map((g) => g.unit)).toEqual(["LT", "KT", "DE"]);
    expect(groups.reduce((n, g) => n + g.staff.length, 0)).toBe(65);
  });
});

describe("cohort marks", () => {
  it("cycle through the unit's cohorts, survive a new code, undo, and reach the roster", () => {
    const p = small();
    const unit = p.units.find((u) => u.id === p.staff[0].unit)!;
    expect(unit.cohorts.length).toBeGreaterThan(1);
    const g = new GridModel(p, { assignments: [] });
    expect(g.cycleCohort(0, 0)).toBe(false); // off: nothing to mark
    g.setShift(0, 0, "D");
    expect(g.cycleCohort(0, 0)).toBe(true);
    expect(g.get(0, 0)?.cohort).toBe(unit.cohorts[0].id);
    g.setShift(0, 0, "A");
    expect(g.get(0, 0)).toEqual({ shift: "A", unit: unit.id, cohort: unit.cohorts[0].id });
    const a = g.toRoster().assignments.find((x) => x.staff === p.staff[0].id)!;
    expect(a.cohort).toBe(unit.cohorts[0].id);
    for (let i = 1; i < unit.cohorts.length; i++) g.cycleCohort(0, 0);
    expect(g.get(0, 0)?.cohort).toBe(unit.cohorts[unit.cohorts.length - 1].id);
    g.cycleCohort(0, 0);
    expect(g.get(0, 0)?.cohort).toBeUndefined();
    g.undo();
    expect(g.get(0, 0)?.cohort).toBe(unit.cohorts[unit.cohorts.length - 1].id);
    // A roster read back keeps the mark.
    const back = new GridModel(p, g.toRoster());
    expect(back.get(0, 0)?.cohort).toBe(unit.cohorts[unit.cohorts.length - 1].id);
  });
});
