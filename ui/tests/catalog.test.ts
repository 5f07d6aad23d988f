import { describe, expect, it } from "vitest";
import { en } from "../src/lib/messages/en";
import { nb } from "../src/lib/messages/nb";
import { format } from "../src/lib/i18n.svelte";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalog", () => {
  it("has every key in both locales", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nb).sort());
  });
  it("has no empty message and the same placeholders in both", () => {
    for (const k of Object.keys(nb) as (keyof typeof nb)[]) {
      expect(nb[k].trim(), k).not.toBe("");
      expect(en[k].trim(), k).not.toBe("");
      expect(placeholders(en[k]), k).toEqual(placeholders(nb[k]));
    }
  });
  it("fills placeholders", () => {
    expect(format(nb["roster.violations"], { n: 0 })).toBe("0 brudd");
    expect(format(nb["scenario.cancelled"], { done: 123, total: "10 000" })).toBe("Avbrutt etter 123 av 10 000 scenarier");
  });
});
