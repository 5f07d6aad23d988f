// Dates travel as ISO strings ("2026-03-02"); arithmetic is done on whole days in UTC so
// that no time zone or daylight-saving change can move a date.

export type Locale = "nb" | "en";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS;
}

/** ISO date of a day number. */
export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/** Whole days from a to b. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** `days` consecutive ISO dates from `start`. */
export function dateRange(start: string, days: number): string[] {
  const s = dayNumber(start);
  return Array.from({ length: Math.max(0, days) }, (_, i) => fromDayNumber(s + i));
}

/** Monday = 0 … Sunday = 6. */
export function weekdayIndex(iso: string): number {
  return (new Date(dayNumber(iso) * DAY_MS).getUTCDay() + 6) % 7;
}

export function isWeekend(iso: string): boolean {
  return weekdayIndex(iso) >= 5;
}

/** dd.mm.yyyy, as Norwegian leaders write dates (also used in English). */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** dd.mm */
export function formatShortDate(iso: string): string {
  const [, m, d] = iso.split("-");
  return `${d}.${m}`;
}

/** Parses dd.mm.yyyy (or d.m.yyyy) to ISO; null when it is not a real date. */
export function parseNorwegianDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [+m[1], +m[2], +m[3]];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

const WEEKDAYS: Record<Locale, { short: string[]; long: string[] }> = {
  nb: {
    short: ["man", "tir", "ons", "tor", "fre", "lør", "søn"],
    long: ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
  },
  en: {
    short: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    long: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  },
};

export function weekdayName(iso: string, locale: Locale, style: "short" | "long" = "short"): string {
  return WEEKDAYS[locale][style][weekdayIndex(iso)];
}

/** The weekday names Monday first, for serde's `Weekday` ("Mon" …). */
export const WEEKDAY_CODES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export function weekdayNameByIndex(i: number, locale: Locale, style: "short" | "long" = "short"): string {
  return WEEKDAYS[locale][style][i];
}

/** ISO 8601 week number and its year (the week with the year's first Thursday is week 1). */
export function isoWeek(iso: string): { year: number; week: number } {
  const n = dayNumber(iso);
  const thursday = n - weekdayIndex(iso) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** "uke 12" / "week 12". */
export function weekLabel(iso: string, locale: Locale): string {
  return `${locale === "nb" ? "uke" : "week"} ${isoWeek(iso).week}`;
}

/** "mandag 02.03.2026" */
export function formatLongDate(iso: string, locale: Locale): string {
  return `${weekdayName(iso, locale, "long")} ${formatDate(iso)}`;
}

/** Minutes as a 24-hour clock time "07:30". */
export function formatClock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "HH:MM" to minutes after midnight, or null. */
export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return +m[1] * 60 + +m[2];
}

/** Minutes as hours "37:30" (h:mm), negative with a minus sign. */
export function formatHours(minutes: number): string {
  const sign = minutes < 0 ? "−" : "";
  const m = Math.round(Math.abs(minutes));
  return `${sign}${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}

/** Consecutive runs of dates falling in the same ISO week: for week headers. */
export function weekSpans(dates: string[], locale: Locale): { label: string; start: number; length: number }[] {
  const spans: { label: string; start: number; length: number }[] = [];
  dates.forEach((d, i) => {
    const label = weekLabel(d, locale);
    const last = spans[spans.length - 1];
    if (last && last.label === label && i === last.start + last.length) last.length++;
    else spans.push({ label, start: i, length: 1 });
  });
  return spans;
}
