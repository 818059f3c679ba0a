// Drives the page of `cabe serve` in headless Chromium (Debian's chromium, through the npm
// package playwright-core) as a user would, and prints one JSON object on stdout: the request
// the page sent for its fit and the numbers it showed, for crates/cabe/tests/browser.rs to
// compare with `cabe fit --json`. It also checks the views draw, the Spanish switch, a phone
// viewport without sideways scrolling, and that the page logged no error (a CSP violation
// included); and saves a screenshot of each view.
//
//   CABE_URL=http://127.0.0.1:PORT CABE_PLAYWRIGHT=.../node_modules/playwright-core \
//   CABE_CHROMIUM=/usr/bin/chromium CABE_ARTIFACTS=DIR node tests/browser/page.mjs

import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import path from "node:path";

const need = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const url = need("CABE_URL");
const { chromium } = createRequire(import.meta.url)(need("CABE_PLAYWRIGHT"));
const out = need("CABE_ARTIFACTS");
mkdirSync(out, { recursive: true });

// What the test picks: a model other than the page's default, a catalog machine (so the
// numbers do not depend on the machine the test runs on), the slider moved, the KV type
// changed.
const MODEL = "llama-3.1-8b";
const MACHINE = "rtx-4090";
const KV = "q8_0";

const problems = [];
const check = (ok, what) => {
  if (!ok) problems.push(what);
};

const browser = await chromium.launch({
  executablePath: need("CABE_CHROMIUM"),
  // Root in a container: Chromium's sandbox needs user namespaces it may not get.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const result = {};
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(url)) problems.push(`a request left the server: ${r.url()}`);
  });

  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
  await page.waitForSelector("#system-card[data-usable]", { timeout: 20000 });
  check((await page.textContent("#system-facts")).length > 10, "the machine is not shown");

  // Pick the model (through the filter box, as a user would), then the machine.
  await page.fill("#model-filter", MODEL);
  await page.selectOption("#model", MODEL);
  await page.selectOption("#machine", MACHINE);
  // Move the context slider: focus it and step it down with the keyboard.
  const before = Number(await page.getAttribute("#ctx-out", "data-tokens"));
  await page.focus("#ctx");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  const ctx = Number(await page.getAttribute("#ctx-out", "data-tokens"));
  check(ctx < before, `the slider did not move (${before} → ${ctx})`);
  await page.selectOption("#kv-type", KV);

  // Wait for the fit answering exactly this request.
  await page.waitForFunction(
    ({ ctx, kv, model }) => {
      const v = document.getElementById("view-fit");
      if (v.dataset.state !== "ready") return false;
      const r = JSON.parse(v.dataset.request || "null");
      return r && r.ctx === ctx && r.kv_type === kv && r.model === model;
    },
    { ctx, kv: KV, model: MODEL },
    { timeout: 20000 },
  );
  result.request = JSON.parse(await page.getAttribute("#view-fit", "data-request"));
  result.shown = {};
  result.text = {};
  for (const k of ["weights", "kv", "buffers", "reserves", "total", "capacity", "headroom"]) {
    result.shown[k] = Number(await page.getAttribute(`#fit-${k}`, "data-bytes"));
    result.text[k] = (await page.textContent(`#fit-${k}`)).trim();
  }
  result.shown.max_ctx = Number(await page.getAttribute("#fit-maxctx", "data-tokens"));
  result.text.max_ctx = (await page.textContent("#fit-maxctx")).trim();
  result.text.verdict = (await page.textContent("#fit-verdict")).trim();
  result.bar_segments = await page.locator("#mem-bar .seg").count();
  await page.screenshot({ path: path.join(out, "fit.png"), fullPage: true });

  // Each other view: its tab, its answer, its screenshot.
  const views = { curve: "#chart-ttft svg", recommend: "#rec-table tbody tr", buy: "#buy-table tbody tr", doctor: "#doc-findings li" };
  for (const [view, sel] of Object.entries(views)) {
    await page.click(`.tabs button[data-view='${view}']`);
    await page.waitForFunction((v) => ["ready", "error"].includes(document.getElementById(`view-${v}`).dataset.state), view, { timeout: 30000 });
    const state = await page.getAttribute(`#view-${view}`, "data-state");
    check(state === "ready", `${view}: ${state}: ${await page.textContent(`#view-${view} .error`)}`);
    check((await page.locator(sel).count()) > 0, `${view}: nothing drawn (${sel})`);
    await page.screenshot({ path: path.join(out, `${view}.png`), fullPage: true });
  }
  result.curve = {
    decode_points: Number(await page.getAttribute("#chart-decode polyline.decode", "data-points")),
    timeout_line: await page.locator("#chart-ttft-timeout").count(),
    crossing: (await page.textContent("#curve-crossing")).trim(),
  };

  const findings = () => page.$$eval("#doc-findings li", (lis) => lis.map((li) => li.textContent.trim()));
  result.english_findings = await findings();

  // Spanish: the page's own words, and the server's (doctor's findings, asked again in
  // Spanish when the language changes).
  await page.click("#lang-es");
  await page.waitForFunction(() => document.documentElement.lang === "es");
  await page.waitForFunction(() => document.getElementById("view-doctor").dataset.state === "ready", null, { timeout: 30000 });
  const asked = JSON.parse(await page.getAttribute("#view-doctor", "data-request"));
  const servedSystem = await page.evaluate(async () => (await (await fetch("/api/system?lang=es")).json()).machine.summary);
  await page.waitForFunction((want) => document.getElementById("system-facts").textContent.includes(want), servedSystem, { timeout: 10000 }).catch(() => {});
  const served = await page.evaluate(async (body) => {
    const resp = await fetch("/api/doctor", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...body, lang: "es" }) });
    return resp.json();
  }, asked);
  result.spanish = {
    tagline: (await page.textContent(".tagline")).trim(),
    tab_curve: (await page.textContent(".tabs button[data-view='curve']")).trim(),
    setup: (await page.textContent("#setup-title")).trim(),
    findings: await findings(),
    served_findings: (served.findings || []).map((f) => f.message),
    system: (await page.textContent("#system-facts")).trim(),
    served_system: servedSystem,
  };
  await page.screenshot({ path: path.join(out, "doctor-es.png"), fullPage: true });
  await page.click(".tabs button[data-view='fit']");
  await page.screenshot({ path: path.join(out, "fit-es.png"), fullPage: true });

  // A phone: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  result.phone = await page.evaluate(() => ({
    scroll_width: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  await page.screenshot({ path: path.join(out, "phone.png"), fullPage: true });
  await page.click(".tabs button[data-view='curve']");
  await page.screenshot({ path: path.join(out, "phone-curve.png"), fullPage: true });
} catch (e) {
  problems.push(`the script stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}
result.problems = problems;
console.log(JSON.stringify(result));
