// Fixture data for the mocked backend (development, screenshots and tests only).
import type { Project } from "$bindings/Project";
import type { Roster } from "$bindings/Roster";
import type { Scenario } from "$bindings/Scenario";
import demoHome from "../../../fixtures/demo-home.json";
import rosterCsv from "../../../fixtures/demo-roster-4w.csv?raw";
import mild from "../../../fixtures/scenarios/wave-mild.json";
import severe from "../../../fixtures/scenarios/wave-severe-2020.json";
import ttr from "../../../fixtures/scenarios/wave-severe-test-to-release.json";
import { addDays } from "../lib/dates";

export function demoProject(): Project {
  return structuredClone(demoHome) as unknown as Project;
}

export function parseRosterCsv(text: string): Roster {
  const lines = text.trim().split(/\r?\n/).slice(1);
  return {
    assignments: lines.map((l) => {
      const [staff, date, shift, unit] = l.split(",");
      return { staff, date, shift, unit };
    }),
  };
}

export function demoRoster(): Roster {
  return parseRosterCsv(rosterCsv);
}

export function scenarioPresets(): { id: string; scenario: Scenario }[] {
  return [
    { id: "wave-mild", scenario: structuredClone(mild) as unknown as Scenario },
    { id: "wave-severe-2020", scenario: structuredClone(severe) as unknown as Scenario },
    { id: "wave-severe-test-to-release", scenario: structuredClone(ttr) as unknown as Scenario },
  ];
}

/** A big home for timing the grid: `staffCount` people over `days` days, a rotating roster. */
export function bigProject(staffCount = 200, days = 42): { project: Project; roster: Roster } {
  const base = demoProject();
  const staff = Array.from({ length: staffCount }, (_, i) => {
    const s = base.staff[i % base.staff.length];
    return { ...s, id: String(5000 + i), name: `${s.name} ${Math.floor(i / base.staff.length) + 1}` };
  });
  const project: Project = { ...base, staff, days, absences: [], requests: [] };
  const codes = ["D", "D", "A", "A", null, null, "D"];
  const assignments = [];
  for (let i = 0; i < staffCount; i++)
    for (let d = 0; d < days; d++) {
      const c = codes[(i + d) % 7];
      if (c) assignments.push({ staff: staff[i].id, date: addDays(base.start, d), shift: c, unit: staff[i].unit });
    }
  return { project, roster: { assignments } };
}
