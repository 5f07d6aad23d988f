// Screenshots of the mocked UI at 1280×800 in headless Chromium, and the grid's edit timing
// at 200 staff × 42 days. Usage: node scripts/screenshots.mjs [outdir] [only]
// (`only` = "ros": the ROS workshop screen alone).
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { createServer } from "vite";

const out = process.argv[2] ?? "shots";
mkdirSync(out, { recursive: true });
const server = await createServer({ server: { port: 1421, strictPort: true }, logLevel: "error" });
await server.listen();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
const base = "http://localhost:1421/";
const only = process.argv[3] ?? "";
try {
  await page.goto(base);
  if (!only) await mainScreens();
  if (!only || only === "ros") await rosScreen();
  if (!only) await timing();
} finally {
  if (errors.length) console.log("page errors:", errors.slice(0, 10));
  await browser.close();
  await server.close();
}

async function mainScreens() {
  await page.getByTestId("violation-count").waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/roster.png` });
  // Edit: type N on a day cell, see the violation.
  const cell = page.locator('[data-testid^="cell-1001-"]').nth(5);
  await cell.click();
  await page.keyboard.press("N");
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/roster-edit.png` });
  for (const s of ["home", "staff", "demand", "rules", "scenario"]) {
    await page.getByTestId(`nav-${s}`).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${s}.png` });
  }
  await page.getByTestId("study-runs").fill("500");
  await page.getByTestId("study-run").click();
  await page.getByText("Fullført").waitFor({ timeout: 10000 });
  await page.screenshot({ path: `${out}/scenario-done.png` });
  await page.getByTestId("nav-results").click();
  await page.getByTestId("fan-chart").locator("svg").first().waitFor();
  await page.screenshot({ path: `${out}/results.png`, fullPage: false });
  await page.screenshot({ path: `${out}/results-full.png`, fullPage: true });

}

async function rosScreen() {
  // ROS workshop: matrix before, after a measure, a chip's detail, the hazard form, measures.
  await page.getByTestId("nav-ros").click();
  await page.getByTestId("ros-matrix").waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ros-matrix.png` });
  await page.getByTestId("ros-view").selectOption({ index: 6 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ros-after.png` });
  await page.getByTestId("ros-chip-4").click();
  await page.getByTestId("ros-fan").locator("svg").first().waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${out}/ros-detail.png` });
  await page.getByTestId("ros-edit").click();
  await page.getByTestId("ros-hazard-form").waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${out}/ros-form.png` });
  await page.getByTestId("ros-hazard-form").locator("textarea").last().fill("");
  await page.getByTestId("ros-save").click();
  await page.getByTestId("ros-field-error").first().waitFor();
  await page.getByTestId("ros-field-error").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/ros-form-error.png` });
  // A change that needs new simulations: the matrix is kept but marked outdated.
  await page.getByTestId("ros-hazard-form").locator("textarea").last().fill("Erfaringen fra 2020.");
  await page.getByTestId("ros-hazard-form").locator("select").first().selectOption("mild");
  await page.getByTestId("ros-save").click();
  await page.getByTestId("ros-stale").waitFor();
  await page.getByTestId("ros-screen").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ros-stale.png` });
  await page.getByTestId("ros-measures").locator("button.expand").first().click();
  await page.locator("#ros-measures-title").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ros-measures.png` });
  await page.locator(".scalesbox summary").click();
  await page.locator(".scalesbox summary").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/ros-scales.png` });
  await page.screenshot({ path: `${out}/ros-full.png`, fullPage: true });
  // On a projector: 150 % text.
  await page.getByTestId("ros-view").selectOption({ index: 0 });
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Større tekst (Ctrl +)" }).click();
  await page.getByTestId("ros-screen").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ros-projector.png` });
  await page.getByRole("button", { name: "Vanlig størrelse (Ctrl 0)" }).click();
  await page.goto(base + "?rosempty");
  await page.getByTestId("nav-ros").waitFor();
  await page.getByTestId("nav-ros").click();
  await page.getByTestId("ros-run").waitFor();
  await page.screenshot({ path: `${out}/ros-empty.png` });
  await page.getByTestId("ros-run").click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/ros-running.png` });
  await page.getByTestId("ros-matrix").waitFor({ timeout: 10000 });
}

async function timing() {
  // Timing on the big home.
  await page.goto(base + "?big");
  await page.getByTestId("violation-count").waitFor();
  await page.waitForTimeout(1500);
  const samples = [];
  const big = page.locator('[data-testid^="cell-5000-"]');
  await big.nth(3).click();
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press(i % 2 ? "D" : "N");
    await page.waitForTimeout(250);
    samples.push(await page.evaluate(() => ({ ...window.__bemannaTimings })));
  }
  const cells = await page.locator('td[role="gridcell"]').count();
  const med = (k) => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  console.log(JSON.stringify({ cells, initialRenderMs: Math.round(samples[0].initialRenderMs), editRenderMedianMs: +med("editRenderMs").toFixed(1), editToMarksMedianMs: +med("editToMarksMs").toFixed(1), samples: samples.map((s) => [+s.editRenderMs.toFixed(1), +s.editToMarksMs.toFixed(1)]) }));
  await page.screenshot({ path: `${out}/roster-big.png` });
}
