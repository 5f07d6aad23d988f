// The message catalog: bokmål by default, English on request. Every user-facing string
// lives in messages/nb.ts (the keys) and messages/en.ts (typed to have exactly those keys).

import type { Locale } from "./dates";
import { en } from "./messages/en";
import { nb, type MessageKey } from "./messages/nb";

export const catalogs: Record<Locale, Record<MessageKey, string>> = { nb, en };

const STORE_KEY = "bemanna.locale";

function initial(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORE_KEY);
    if (v === "en" || v === "nb") return v;
  } catch {
    // storage may be unavailable; bokmål it is
  }
  return "nb";
}

export const i18n = $state<{ locale: Locale }>({ locale: initial() });

export function setLocale(l: Locale): void {
  i18n.locale = l;
  try {
    globalThis.localStorage?.setItem(STORE_KEY, l);
  } catch {
    // not fatal
  }
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

/** Fills `{name}` placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A message in the current locale. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalogs[i18n.locale][key], params);
}

/** Numbers the Norwegian way (space as thousands separator, decimal comma) or the English way. */
export function num(n: number, digits = 0): string {
  return n.toLocaleString(i18n.locale === "nb" ? "nb-NO" : "en-GB", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function nok(n: number): string {
  return i18n.locale === "nb" ? `${num(n)} kr` : `NOK ${num(n)}`;
}

export function pct(p: number, digits = 0): string {
  return `${num(p * 100, digits)} %`;
}

/** The explanation of a violation (or anything with nb/en texts) in the current locale. */
export function pick(nbText: string, enText: string): string {
  return i18n.locale === "nb" ? nbText : enText;
}
