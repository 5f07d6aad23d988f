// A small stand-in for the Rust checker, enough to show violations in the mocked UI.
import type { CheckReport } from "$bindings/CheckReport";
import type { Project } from "$bindings/Project";
import type { Roster } from "$bindings/Roster";
import type { Violation } from "$bindings/Violation";
import { addDays, dayNumber, formatDate } from "../lib/dates";
import { demandMin } from "../lib/cover";

export function mockCheck(project: Project, roster: Roster): CheckReport {
  const t0 = performance.now();
  const v: Violation[] = [];
  const shift = new Map(project.shiftTypes.map((s) => [s.code, s]));
  const mins = (hhmm: string) => +hhmm.slice(0, 2) * 60 + +hhmm.slice(3, 5);
  const byStaff = new Map<string, Map<number, string>>();
  const start = dayNumber(project.start);
  const heads = new Map<string, number>();
  for (const a of roster.assignments) {
    const d = dayNumber(a.date) - start;
    if (!byStaff.has(a.staff)) byStaff.set(a.staff, new Map());
    const m = byStaff.get(a.staff)!;
    if (m.has(d))
      v.push({ rule: "oneShiftPerDay", staff: a.staff, date: a.date, amount: 1, messageNb: `Mer enn én vakt ${formatDate(a.date)}.`, messageEn: `More than one shift on ${formatDate(a.date)}.` });
    m.set(d, a.shift);
    const k = `${a.unit}|${a.shift}|${d}`;
    heads.set(k, (heads.get(k) ?? 0) + 1);
  }
  const names = new Map(project.staff.map((s) => [s.id, s.name]));
  const rest = project.rules?.dailyRestMinutes ?? 660;
  for (const a of project.absences) {
    const m = byStaff.get(a.staff);
    if (!m) continue;
    for (let d = dayNumber(a.from) - start; d <= dayNumber(a.to) - start; d++)
      if (m.has(d)) {
        const date = addDays(project.start, d);
        v.push({ rule: "absence", staff: a.staff, date, shift: m.get(d), amount: 1, messageNb: `${names.get(a.staff)} har ${a.kind} ${formatDate(date)}, men står på vakt.`, messageEn: `${names.get(a.staff)} is absent (${a.kind}) on ${formatDate(date)} but rostered.` });
      }
  }
  for (const [id, m] of byStaff) {
    let run = 0;
    for (let d = 0; d < project.days; d++) {
      const c = m.get(d);
      if (c) {
        run++;
        if (run === 6) {
          const date = addDays(project.start, d);
          v.push({ rule: "maxConsecutiveDays", staff: id, date, amount: 1, messageNb: `${names.get(id)} jobber mer enn 5 dager på rad (til ${formatDate(date)}).`, messageEn: `${names.get(id)} works more than 5 days in a row (to ${formatDate(date)}).` });
        }
      } else run = 0;
      const next = m.get(d + 1);
      if (c && next && rest !== null) {
        const s1 = shift.get(c), s2 = shift.get(next);
        if (!s1 || !s2) continue;
        let end = mins(s1.end);
        if (end <= mins(s1.start)) end += 1440;
        const gap = 1440 + mins(s2.start) - end;
        if (gap < rest) {
          const date = addDays(project.start, d + 1);
          v.push({ rule: "dailyRest", staff: id, date, shift: next, amount: rest - gap, messageNb: `${names.get(id)} får bare ${Math.floor(gap / 60)} t ${gap % 60} min hvile før ${next}-vakten ${formatDate(date)} (minst ${rest / 60} t, AML § 10-8 (1)).`, messageEn: `${names.get(id)} gets only ${Math.floor(gap / 60)} h ${gap % 60} min rest before the ${next} shift on ${formatDate(date)} (at least ${rest / 60} h, AML § 10-8 (1)).` });
        }
      }
    }
  }
  const min = demandMin(project);
  for (const [unit, byShift] of min)
    for (const [code, arr] of byShift)
      arr.forEach((need, d) => {
        const have = heads.get(`${unit}|${code}|${d}`) ?? 0;
        if (have < need) {
          const date = addDays(project.start, d);
          v.push({ rule: "skillCover", unit, shift: code, date, amount: need - have, messageNb: `${unit} ${code} ${formatDate(date)}: ${have} på vakt, minst ${need} trengs.`, messageEn: `${unit} ${code} ${formatDate(date)}: ${have} on duty, at least ${need} needed.` });
        }
      });
  return { violations: v, shortages: [], hours: [], cover: [], micros: Math.round((performance.now() - t0) * 1000) };
}
