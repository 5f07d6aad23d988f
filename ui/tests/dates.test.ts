import { describe, expect, it } from "vitest";
import { addDays, dateRange, formatClock, formatDate, formatHours, formatLongDate, isoWeek, parseClock, parseNorwegianDate, weekLabel, weekSpans, weekdayName } from "../src/lib/dates";

describe("dates", () => {
  it("formats dd.mm.yyyy and parses it back", () => {
    expect(formatDate("2026-03-02")).toBe("02.03.2026");
    expect(parseNorwegianDate("2.3.2026")).toBe("2026-03-02");
    expect(parseNorwegianDate("31.02.2026")).toBeNull();
    expect(parseNorwegianDate("2026-03-02")).toBeNull();
  });
  it("adds days across months, years and DST changes", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30"); // Norwegian DST starts 29.03.2026
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(dateRange("2026-02-27", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });
  it("names weekdays in both locales", () => {
    expect(weekdayName("2026-03-02", "nb")).toBe("man");
    expect(weekdayName("2026-03-08", "nb", "long")).toBe("søndag");
    expect(weekdayName("2026-03-07", "en")).toBe("Sat");
    expect(formatLongDate("2026-03-02", "nb")).toBe("mandag 02.03.2026");
  });
  it("numbers ISO weeks, also around new year", () => {
    expect(isoWeek("2026-03-16")).toEqual({ year: 2026, week: 12 });
    expect(weekLabel("2026-03-16", "nb")).toBe("uke 12");
    expect(weekLabel("2026-03-16", "en")).toBe("week 12");
    expect(isoWeek("2021-01-03")).toEqual({ year: 2020, week: 53 });
    expect(isoWeek("2024-12-30")).toEqual({ year: 2025, week: 1 });
  });
  it("groups a horizon into week spans", () => {
    expect(weekSpans(dateRange("2026-03-05", 10), "nb")).toEqual([
      { label: "uke 10", start: 0, length: 4 },
      { label: "uke 11", start: 4, length: 6 },
    ]);
  });
  it("uses the 24-hour clock", () => {
    expect(formatClock(21 * 60 + 45)).toBe("21:45");
    expect(formatClock(1440 + 30)).toBe("00:30");
    expect(parseClock("07:30")).toBe(450);
    expect(parseClock("24:00")).toBeNull();
    expect(formatHours(2130)).toBe("35:30");
    expect(formatHours(-90)).toBe("−1:30");
  });
});
