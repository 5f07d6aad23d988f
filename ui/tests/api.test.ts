import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import * as api from "../src/lib/api";
import { installMockBackend } from "../src/mock/backend";
import { demoRoster } from "../src/mock/data";

afterEach(() => clearMocks());

describe("api wrapper", () => {
  it("sends camelCase arguments and returns typed results", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return cmd === "list_projects" ? [{ id: 1, name: "Solbakken", start: "2026-03-02", days: 28, staff: 65, updatedAt: "" }] : null;
    });
    const list = await api.listProjects();
    expect(list[0].name).toBe("Solbakken");
    await api.checkRoster(1, { assignments: [] });
    expect(calls[1]).toEqual({ cmd: "check_roster", args: { projectId: 1, roster: { assignments: [] } } });
  });
  it("sends file bytes as a number array", async () => {
    let seen: unknown;
    mockIPC((_cmd, args) => {
      seen = args;
      return { file: "a.csv", format: "CSV", headerLine: 1, columns: [], validRows: 0, errors: [], written: false, added: 0, updated: 0 };
    });
    await api.importStaff(1, "a.csv", new Uint8Array([0xef, 0xbb, 0xbf, 65]), true);
    expect(seen).toEqual({ projectId: 1, fileName: "a.csv", bytes: [239, 187, 191, 65], acceptValid: true });
  });
  it("turns rejections into AppError", async () => {
    mockIPC(() => {
      throw { message: "Ugyldig", fields: [{ path: "staff[3].skills[0]", message: "ukjent" }] };
    });
    await expect(api.openProject(1)).rejects.toEqual({ message: "Ugyldig", fields: [{ path: "staff[3].skills[0]", message: "ukjent" }] });
    mockIPC(() => {
      throw "plain text";
    });
    await expect(api.listProjects()).rejects.toEqual({ message: "plain text", fields: [] });
  });
  it("runs a study with progress and cancels it", async () => {
    installMockBackend({ studyDelayMs: 5 });
    const home = await api.openProject(1);
    const progress: number[] = [];
    const job = api.runStudy(1, { scenario: home.presets[1].scenario, runs: 10000, seed: 1, roster: home.roster! }, (p) => progress.push(p.done));
    await new Promise((r) => setTimeout(r, 30));
    expect(await job.cancel()).toBe(true);
    const view = await job.result;
    expect(view.result.cancelled).toBe(true);
    expect(view.result.runs).toBeLessThan(10000);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
  it("checks a roster through the mocked shell", async () => {
    installMockBackend();
    const r = demoRoster();
    r.assignments.push({ ...r.assignments[0], shift: "N" }); // two shifts the same day
    const report = await api.checkRoster(1, r);
    expect(report.violations.some((v) => v.rule === "oneShiftPerDay")).toBe(true);
  });
});
