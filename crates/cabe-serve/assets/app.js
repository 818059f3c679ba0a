// The page of `cabe serve`: every number comes from this server's API (the same objects the
// command line's --json prints); this file only asks, formats and draws. No framework, no
// build step: the server embeds this file as it is. Strings are in /assets/i18n/{en,es}.json.

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

const QUANTS = ["Q4_K_M", "Q2_K", "Q3_K_M", "Q4_0", "Q4_K_S", "IQ4_XS", "Q5_K_M", "Q6_K", "Q8_0", "MXFP4_MOE", "BF16", "F16"];
const KV_TYPES = ["f16", "q8_0", "q4_0", "bf16", "f32", "q4_1", "iq4_nl", "q5_0", "q5_1"];
const RUNTIMES = ["llama-server", "ollama", "llama-cli", "llama-completion"];
const USES = ["general", "chat", "code", "reasoning", "long-context", "agents"];
const DEFAULT_MODEL = "qwen3-coder-30b-a3b";

const state = {
  lang: "en",
  strings: {},
  models: [],
  hardware: [],
  view: "fit",
  // Before a model is picked: the context the slider starts at.
  ctxSteps: [32768],
  // The last answer of each view, redrawn when the language changes.
  last: {},
  // The last question of each view (path and body): asked again when the language changes,
  // since the server words findings, notes, reasons and errors in the language asked for.
  asked: {},
  // Each view's newest request number: an older answer arriving late is dropped.
  seq: {},
};

// ---------------------------------------------------------------------------------------
// Strings and numbers

function t(key, vars = {}) {
  let s = state.strings[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

function num(x, digits = 0) {
  return new Intl.NumberFormat(state.lang, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(x);
}

/// Bytes as GiB with two decimals (MiB under 1 GiB), as binary units: what the CLI's
/// fmt_bytes prints too.
function bytes(b) {
  const sign = b < 0 ? "−" : "";
  const a = Math.abs(b);
  if (a >= GIB) return `${sign}${num(a / GIB, 2)} GiB`;
  return `${sign}${num(a / MIB, 1)} MiB`;
}

function tokens(n) {
  return num(n, 0);
}

function rate(r) {
  if (!r) return "—";
  const d = r.typical < 10 ? 1 : 0;
  return t("unit.toks", { v: num(r.typical, d), low: num(r.low, d), high: num(r.high, d) });
}

function seconds(s) {
  if (s == null || !isFinite(s)) return "—";
  if (s >= 3600) return `${num(s / 3600, 1)} h`;
  if (s >= 60) return `${num(s / 60, 1)} min`;
  if (s >= 1) return `${num(s, s < 10 ? 1 : 0)} s`;
  return `${num(s * 1000, 0)} ms`;
}

function ctxLabel(n) {
  if (n >= 1024 && n % 1024 === 0) return `${tokens(n)} (${num(n / 1024, 0)}k)`;
  return tokens(n);
}

async function loadLang(lang) {
  const resp = await fetch(`/assets/i18n/${lang}.json`);
  if (!resp.ok) return;
  state.strings = await resp.json();
  state.lang = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem("cabe.lang", lang);
  } catch (_) {
    // Storage may be off; the choice then lasts this visit.
  }
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const b of document.querySelectorAll(".lang button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  }
  document.title = t("title");
  fillOptions();
  showCtx();
  renderSystem();
  for (const [view, data] of Object.entries(state.last)) render(view, data);
  for (const [view, [path, body]] of Object.entries(state.asked)) ask(view, path, body);
  if (state.system) askSystem();
}

// ---------------------------------------------------------------------------------------
// Talking to the server

async function api(path, body) {
  const init = body === undefined
    ? {}
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const resp = await fetch(path, init);
  let data;
  try {
    data = await resp.json();
  } catch (_) {
    throw new Error(`${resp.status} ${resp.statusText}`);
  }
  if (!resp.ok) throw new Error(data.error || `${resp.status}`);
  return data;
}

/// Asks for one view's answer; only the newest request's answer is drawn.
async function ask(view, path, body) {
  const n = (state.seq[view] = (state.seq[view] || 0) + 1);
  const panel = $(`view-${view}`);
  panel.dataset.state = "loading";
  const err = $(`${view === "recommend" ? "rec" : view === "doctor" ? "doc" : view}-error`);
  state.asked[view] = [path, body];
  try {
    const data = await api(path, body === undefined ? body : { ...body, lang: state.lang });
    if (n !== state.seq[view]) return;
    err.hidden = true;
    state.last[view] = data;
    render(view, data);
    panel.dataset.request = JSON.stringify(body ?? null);
    panel.dataset.state = "ready";
  } catch (e) {
    if (n !== state.seq[view]) return;
    err.textContent = e.message;
    err.hidden = false;
    delete state.last[view];
    clearView(view);
    panel.dataset.request = JSON.stringify(body ?? null);
    panel.dataset.state = "error";
  }
}

// ---------------------------------------------------------------------------------------
// The settings

function selectedModel() {
  return state.models.find((m) => m.id === $("model").value);
}

/// Context sizes the slider steps through: powers of two and the halfway points, from 512 up
/// to the model's native context (the last step).
function ctxSteps(native) {
  const steps = [];
  for (let x = 512; x < native; x *= 2) {
    steps.push(x);
    if (x * 1.5 < native) steps.push(x * 1.5);
  }
  steps.push(native);
  return steps;
}

function currentCtx() {
  return state.ctxSteps[Number($("ctx").value)] ?? state.ctxSteps[state.ctxSteps.length - 1];
}

function showCtx() {
  const n = currentCtx();
  const out = $("ctx-out");
  out.textContent = ctxLabel(n);
  out.dataset.tokens = String(n);
}

function onModelChange() {
  const m = selectedModel();
  if (!m) return;
  const keep = currentCtx();
  state.ctxSteps = ctxSteps(Math.max(m.native_ctx || 4096, 512));
  const slider = $("ctx");
  slider.max = String(state.ctxSteps.length - 1);
  // Keep the context asked for where the new model holds it; else 32k or its native context.
  let i = state.ctxSteps.indexOf(keep);
  if (i < 0) i = state.ctxSteps.indexOf(Math.min(32768, state.ctxSteps[state.ctxSteps.length - 1]));
  slider.value = String(Math.max(i, 0));
  showCtx();
  refresh();
}

/// The machine fields of a request: none (this machine), a catalog id, or a memory size.
function machineFields() {
  const v = $("machine").value;
  if (v === "@this") return {};
  if (v === "@memory") return { memory: $("memory").value.trim() || "0" };
  return { on: v };
}

function settings() {
  return {
    model: $("model").value,
    quant: $("quant").value,
    ctx: currentCtx(),
    kv_type: $("kv-type").value,
    parallel: Number($("parallel").value) || 1,
    runtime: $("runtime").value,
    ...machineFields(),
  };
}

function timeoutSecs() {
  const s = Number($("timeout").value);
  return s > 0 ? s : undefined;
}

function fillSelect(sel, items, keep) {
  const was = keep ?? sel.value;
  sel.replaceChildren(
    ...items.map(([value, label]) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      return o;
    }),
  );
  if (items.some(([v]) => v === was)) sel.value = was;
}

function fillModels() {
  const f = $("model-filter").value.trim().toLowerCase();
  const shown = state.models.filter(
    (m) => !f || m.id.includes(f) || m.name.toLowerCase().includes(f) || (m.aliases || []).some((a) => a.includes(f)),
  );
  const was = $("model").value;
  fillSelect($("model"), shown.map((m) => [m.id, `${m.name} — ${m.params_b} B`]));
  if ($("model").value !== was) onModelChange();
}

function fillOptions() {
  const machine = $("machine");
  const was = machine.value || "@this";
  const opts = [["@this", t("machine.this")], ["@memory", t("machine.memory")]];
  for (const h of state.hardware) opts.push([h.id, h.name]);
  fillSelect(machine, opts, was);
  fillSelect($("quant"), QUANTS.map((q) => [q, q]));
  fillSelect($("kv-type"), KV_TYPES.map((k) => [k, k === "f16" ? `f16 (${t("default")})` : k]));
  fillSelect($("runtime"), RUNTIMES.map((r) => [r, r]));
  fillSelect($("rec-use"), USES.map((u) => [u, t(`use.${u}`)]));
  fillSelect($("rec-minctx"), [4096, 8192, 16384, 32768, 65536, 131072].map((n) => [String(n), ctxLabel(n)]), $("rec-minctx").value || "32768");
}

// ---------------------------------------------------------------------------------------
// Views

let timer = null;

/// Asks again for the visible view (the fit always: it heads every view), a moment after the
/// last change so a slider drag is one request, not fifty.
function refresh() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    for (const v of ["curve", "recommend", "buy", "doctor"]) delete state.last[v];
    ask("fit", "/api/fit", settings());
    loadView(state.view);
  }, 120);
}

function loadView(view) {
  const s = settings();
  const timeout = timeoutSecs();
  switch (view) {
    case "curve": {
      // The whole curve, to the model's native context (the command's default); the context
      // asked for is marked on it.
      const { ctx, ...rest } = s;
      ask("curve", "/api/curve", { ...rest, timeout, points: 40 });
      break;
    }
    case "recommend": {
      const body = { use: $("rec-use").value, min_ctx: Number($("rec-minctx").value), runtime: s.runtime, kv_type: s.kv_type, parallel: s.parallel, ...machineFields() };
      ask("recommend", "/api/recommend", body);
      break;
    }
    case "buy": {
      const { on, memory, ...rest } = s;
      const body = { ...rest };
      const md = Number($("buy-min-decode").value);
      const budget = Number($("buy-budget").value);
      if (md > 0) body.min_decode = md;
      if (budget > 0) body.budget = budget;
      ask("buy", "/api/buy", body);
      break;
    }
    case "doctor": {
      const runtime = $("doc-runtime").value;
      const body = { model: s.model, quant: s.quant, ctx: s.ctx, runtime, ...machineFields() };
      const p = Number($("doc-prompt").value);
      const nc = Number($("doc-numctx").value);
      if (p > 0) body.prompt_tokens = p;
      if (nc > 0 && runtime === "ollama") body.num_ctx = nc;
      if (timeout) body.timeout = timeout;
      ask("doctor", "/api/doctor", body);
      break;
    }
    default:
  }
}

function showView(view) {
  state.view = view;
  for (const b of document.querySelectorAll(".tabs button")) {
    b.setAttribute("aria-selected", String(b.dataset.view === view));
  }
  for (const v of ["fit", "curve", "recommend", "buy", "doctor"]) $(`view-${v}`).hidden = v !== view && v !== "fit";
  // The fit stays on top of the other views only on its own tab.
  $("view-fit").hidden = view !== "fit";
  if (view !== "fit" && !state.last[view]) loadView(view);
  // Redrawn once shown: the charts take the width they are shown at.
  else if (view === "curve") renderCurve(state.last.curve);
}

function render(view, data) {
  ({ fit: renderFit, curve: renderCurve, recommend: renderRecommend, buy: renderBuy, doctor: renderDoctor })[view](data);
}

function clearView(view) {
  const ids = {
    fit: ["fit-verdict", "mem-bar", "mem-legend", "fit-command"],
    curve: ["chart-decode", "chart-ttft", "curve-crossing", "curve-notes"],
    recommend: ["rec-table"],
    buy: ["buy-table", "buy-cheapest"],
    doctor: ["doc-findings", "doc-fix", "doc-notes"],
  }[view];
  for (const id of ids) $(id).replaceChildren();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c != null));
  return e;
}

function setBytes(id, b) {
  const cell = $(id);
  cell.textContent = bytes(b);
  cell.dataset.bytes = String(b);
}

/// This machine as the server sees it, its summary in the page's language.
function askSystem() {
  api(`/api/system?lang=${state.lang}`)
    .then((s) => {
      state.system = s;
      renderSystem();
    })
    .catch((e) => {
      $("system-facts").replaceChildren(el("dd", { class: "error" }, e.message));
    });
}

function renderSystem() {
  const d = state.system;
  const dl = $("system-facts");
  if (!d) return;
  const s = d.system;
  const rows = [];
  const cpu = s.cpu || {};
  const cores = cpu.physical_cores && cpu.logical_cores && cpu.physical_cores !== cpu.logical_cores
    ? t("system.coresThreads", { c: cpu.physical_cores, t: cpu.logical_cores })
    : cpu.logical_cores ? t("system.cores", { c: cpu.logical_cores }) : "";
  rows.push([t("system.cpu"), [cpu.model || t("unknown"), cores].filter(Boolean).join(" · ")]);
  rows.push([t("system.memory"), s.memory && s.memory.total_bytes ? bytes(s.memory.total_bytes) : t("unknown")]);
  const gpus = (s.gpus || []).map((g) => (g.memory_total_bytes ? `${g.name} (${bytes(g.memory_total_bytes)})` : g.name));
  rows.push([t("system.gpus"), gpus.length ? gpus.join(", ") : t("system.noGpu")]);
  rows.push([t("system.usable"), bytes(d.usable_bytes)]);
  if (d.machine && d.machine.summary) rows.push([t("system.seenAs"), d.machine.summary]);
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  $("system-card").dataset.usable = String(d.usable_bytes);
}

const PARTS = [
  ["weights", "fit.weights"],
  ["kv", "fit.kv"],
  ["buffers", "fit.buffers"],
  ["reserves", "fit.reserves"],
];

function renderFit(d) {
  const m = d.memory;
  const buffers = m.compute_bytes + m.output_bytes;
  const parts = { weights: m.weights_bytes, kv: m.kv_cache_bytes, buffers, reserves: m.overhead_bytes };
  setBytes("fit-weights", m.weights_bytes);
  setBytes("fit-kv", m.kv_cache_bytes);
  setBytes("fit-buffers", buffers);
  setBytes("fit-reserves", m.overhead_bytes);
  setBytes("fit-total", m.total_bytes);
  setBytes("fit-capacity", d.capacity_bytes);
  setBytes("fit-headroom", d.headroom_bytes);
  const maxctx = $("fit-maxctx");
  maxctx.textContent = d.max_ctx != null ? tokens(d.max_ctx) : "—";
  maxctx.dataset.tokens = String(d.max_ctx ?? "");
  $("fit-decode").textContent = d.speed ? rate(d.speed.decode_tps) : "—";
  const verdict = $("fit-verdict");
  verdict.className = `verdict ${d.verdict}`;
  verdict.textContent = t(`verdict.${d.verdict}`, {
    model: d.model.name,
    quant: d.model.quant,
    ctx: tokens(d.ctx),
    machine: d.machine.name,
  });
  // The bar's scale: the capacity, or the total when it does not fit.
  const scale = Math.max(d.capacity_bytes, m.total_bytes, 1);
  const bar = $("mem-bar");
  const segs = PARTS.map(([k]) => {
    const s = el("div", { class: `seg ${k}`, title: `${t(`fit.${k}`)}: ${bytes(parts[k])}` });
    s.style.width = `${(100 * parts[k]) / scale}%`;
    return s;
  });
  if (d.headroom_bytes > 0) {
    const h = el("div", { class: "seg headroom", title: `${t("fit.headroom")}: ${bytes(d.headroom_bytes)}` });
    h.style.width = `${(100 * d.headroom_bytes) / scale}%`;
    segs.push(h);
  }
  const cap = el("div", { class: "cap" });
  cap.style.left = `${(100 * d.capacity_bytes) / scale}%`;
  bar.replaceChildren(...segs, cap);
  const legend = PARTS.map(([k, key]) => el("li", {}, el("span", { class: `sw ${k}` }), `${t(key)} ${bytes(parts[k])}`));
  legend.push(el("li", {}, el("span", { class: "sw headroom" }), `${t("fit.headroom")} ${bytes(d.headroom_bytes)}`));
  legend.push(el("li", {}, el("span", { class: "sw cap" }), `${t("fit.capacity")} ${bytes(d.capacity_bytes)}`));
  $("mem-legend").replaceChildren(...legend);
  $("fit-command").textContent = (d.runtime_settings || []).join("\n");
}

// ---------------------------------------------------------------------------------------
// Charts (SVG drawn here: no chart library)

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/// 1-2-5 ticks between lo and hi; for times, steps a reader counts in (10 s, 1 min, 5 min).
function ticks(lo, hi, time) {
  const out = [];
  if (time) {
    const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 18000, 36000, 86400];
    return steps.filter((v) => v >= lo && v <= hi);
  }
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/// The ticks at least `gap` pixels apart on screen (`at` maps a value to its pixel).
function spaced(values, at, gap) {
  const out = [];
  for (const v of values) {
    if (!out.length || Math.abs(at(v) - at(out[out.length - 1])) >= gap) out.push(v);
  }
  return out;
}

/// A log-log chart of (x, low, typical, high) series; `hline` draws a horizontal line (the
/// client timeout) with its label.
function chart(box, series, opts) {
  // Drawn at the width it is shown (a phone's ~340 px to 640), so its text stays legible.
  const W = Math.round(Math.min(640, Math.max(300, box.clientWidth || 640)));
  const H = W < 480 ? 220 : 260, L = 58, R = 12, T = 12, B = 34;
  const pts = series.flatMap((s) => s.values);
  if (!pts.length) {
    box.replaceChildren(el("p", { class: "hint" }, t("curve.none")));
    return;
  }
  const xs = pts.map((p) => p.x);
  let ylo = Math.min(...pts.map((p) => p.low), opts.hline ?? Infinity);
  let yhi = Math.max(...pts.map((p) => p.high), opts.hline ?? 0);
  ylo = Math.max(ylo * 0.8, 1e-4);
  yhi *= 1.25;
  const xlo = Math.min(...xs), xhi = Math.max(...xs);
  const sx = (x) => L + ((Math.log(x) - Math.log(xlo)) / Math.max(Math.log(xhi) - Math.log(xlo), 1e-9)) * (W - L - R);
  const sy = (y) => T + (1 - (Math.log(y) - Math.log(ylo)) / Math.max(Math.log(yhi) - Math.log(ylo), 1e-9)) * (H - T - B);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label, class: "plot" });
  for (const y of spaced(ticks(ylo, yhi, opts.time), sy, 18)) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: sy(y), y2: sy(y), class: "grid" }));
    svg.append(svgEl("text", { x: L - 6, y: sy(y) + 4, class: "tick", "text-anchor": "end" }, opts.fmtY(y)));
  }
  for (const x of spaced(ticks(xlo, xhi), sx, 44)) {
    svg.append(svgEl("line", { x1: sx(x), x2: sx(x), y1: T, y2: H - B, class: "grid" }));
    svg.append(svgEl("text", { x: sx(x), y: H - B + 16, class: "tick", "text-anchor": "middle" }, x >= 1000 ? `${num(x / 1000, 0)}k` : num(x, 0)));
  }
  svg.append(svgEl("text", { x: (L + W - R) / 2, y: H - 4, class: "axis", "text-anchor": "middle" }, opts.xLabel));
  for (const s of series) {
    if (!s.values.length) continue;
    const band = s.values.map((p) => `${sx(p.x)},${sy(p.high)}`).concat(
      s.values.slice().reverse().map((p) => `${sx(p.x)},${sy(p.low)}`),
    );
    svg.append(svgEl("polygon", { points: band.join(" "), class: `band ${s.cls}` }));
    svg.append(svgEl("polyline", { points: s.values.map((p) => `${sx(p.x)},${sy(p.typical)}`).join(" "), class: `line ${s.cls}`, "data-points": s.values.length }));
  }
  if (opts.hline != null) {
    const y = sy(opts.hline);
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: y, y2: y, class: "timeout", id: `${box.id}-timeout` }));
    svg.append(svgEl("text", { x: W - R - 4, y: y - 5, class: "timeout-label", "text-anchor": "end" }, opts.hlineLabel));
  }
  if (opts.vline != null && opts.vline >= xlo && opts.vline <= xhi) {
    svg.append(svgEl("line", { x1: sx(opts.vline), x2: sx(opts.vline), y1: T, y2: H - B, class: "now" }));
  }
  const legend = el("ul", { class: "legend" }, ...series.filter((s) => s.values.length).map((s) => el("li", {}, el("span", { class: `sw ${s.cls}` }), s.label)));
  box.replaceChildren(svg, legend);
}

function band(points, key) {
  return points
    .filter((p) => p[key])
    .map((p) => {
      const r = p[key];
      return { x: p.tokens, typical: r.typical, low: Math.min(r.low, r.high), high: Math.max(r.low, r.high) };
    });
}

function renderCurve(d) {
  const pts = d.points || [];
  const ctx = currentCtx();
  chart($("chart-decode"), [
    { label: t("curve.decodeLine"), cls: "decode", values: band(pts, "decode_tps") },
    { label: t("curve.prefillLine"), cls: "prefill", values: band(pts, "prefill_tps") },
  ], { label: t("curve.decode"), xLabel: t("curve.xctx"), fmtY: (y) => num(y, y < 10 ? 1 : 0), vline: ctx });
  const timeout = d.timeout ? d.timeout.timeout_s : undefined;
  chart($("chart-ttft"), [{ label: t("curve.ttftLine"), cls: "ttft", values: band(pts, "ttft_s") }], {
    label: t("curve.ttft"),
    xLabel: t("curve.xprompt"),
    fmtY: seconds,
    time: true,
    hline: timeout,
    hlineLabel: timeout ? t("curve.timeoutLine", { s: seconds(timeout) }) : "",
  });
  const c = d.timeout;
  let line = "";
  if (c) {
    if (c.typical_tokens != null) line = t("curve.crossAt", { s: seconds(c.timeout_s), n: tokens(c.typical_tokens) });
    else if (c.earliest_tokens != null) line = t("curve.crossSlow", { s: seconds(c.timeout_s), n: tokens(c.earliest_tokens) });
    else line = t("curve.crossNever", { s: seconds(c.timeout_s) });
  }
  $("curve-crossing").textContent = line;
  $("curve-notes").replaceChildren(...(d.notes || []).map((n) => el("li", {}, n)));
}

function table(id, head, rows) {
  $(id).replaceChildren(
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", r.attrs || {}, ...r.cells.map((c) => el("td", {}, c))))),
  );
}

/// The best picks (the command line's --json has them all, best first).
const REC_ROWS = 12;

function renderRecommend(d) {
  const picks = (d.picks || []).slice(0, REC_ROWS);
  $("rec-empty").hidden = picks.length > 0;
  table(
    "rec-table",
    [t("rec.model"), t("setup.quant"), t("fit.total"), t("fit.headroom"), t("fit.maxctx"), t("fit.decode")],
    picks.map((p) => ({
      attrs: { "data-model": p.model },
      cells: [
        el("span", {}, el("strong", {}, p.name), el("span", { class: "why" }, p.why)),
        p.quant,
        bytes(p.total_bytes),
        bytes(p.headroom_bytes),
        p.max_ctx != null ? tokens(p.max_ctx) : "—",
        rate(p.decode_tps),
      ],
    })),
  );
}

function renderBuy(d) {
  const rows = (d.rows || []).slice(0, 20);
  const cheapest = typeof d.cheapest === "string" ? d.cheapest : d.cheapest && d.cheapest.id;
  const best = (d.rows || []).find((r) => r.id === cheapest);
  $("buy-cheapest").textContent = best
    ? t("buy.cheapest", { name: best.name, price: best.price_usd != null ? `$${num(best.price_usd, 0)}` : "—" })
    : t("buy.noneMeets");
  table(
    "buy-table",
    [t("buy.machine"), t("buy.fit"), t("fit.headroom"), t("fit.maxctx"), t("fit.decode"), t("buy.price")],
    rows.map((r) => ({
      attrs: { class: r.meets ? "meets" : "misses", "data-machine": r.id },
      cells: [r.name, t(`verdict.short.${r.fit}`), bytes(r.headroom_bytes), r.max_ctx != null ? tokens(r.max_ctx) : "—", rate(r.decode_tps), r.price_usd != null ? `$${num(r.price_usd, 0)}` : "—"],
    })),
  );
}

function renderDoctor(d) {
  const findings = d.findings || [];
  $("doc-findings").replaceChildren(
    ...(findings.length
      ? findings.map((f) => el("li", { class: `sev-${f.severity}` }, el("strong", {}, t(`sev.${f.severity}`)), " ", f.message))
      : [el("li", { class: "sev-ok" }, t("doc.allGood"))]),
  );
  const fx = d.fix || {};
  const lines = [];
  if (fx.modelfile) lines.push(`# Modelfile\n${fx.modelfile}`);
  if (fx.create_command) lines.push(fx.create_command);
  for (const e of fx.env || []) lines.push(typeof e === "string" ? e : `${e.name ?? e[0]}=${e.value ?? e[1]}`);
  if (fx.llama_server_flags) lines.push(fx.llama_server_flags);
  for (const s of fx.steps || []) lines.push(`• ${s}`);
  $("doc-fix").textContent = lines.length ? lines.join("\n") : t("doc.noFix");
  $("doc-notes").replaceChildren(...(d.notes || []).map((n) => el("li", {}, n)));
}

// ---------------------------------------------------------------------------------------
// Start

async function start() {
  const saved = (() => {
    try {
      return localStorage.getItem("cabe.lang");
    } catch (_) {
      return null;
    }
  })();
  const want = new URLSearchParams(location.search).get("lang") || saved || (navigator.language || "en").slice(0, 2);
  await loadLang(want === "es" ? "es" : "en");
  const [models, hardware] = await Promise.all([api("/api/models"), api("/api/hardware")]);
  state.models = models;
  state.hardware = hardware;
  fillOptions();
  fillModels();
  if (state.models.some((m) => m.id === DEFAULT_MODEL)) $("model").value = DEFAULT_MODEL;
  onModelChange();
  askSystem();

  $("model-filter").addEventListener("input", fillModels);
  $("model").addEventListener("change", onModelChange);
  $("ctx").addEventListener("input", () => {
    showCtx();
    refresh();
  });
  $("machine").addEventListener("change", () => {
    $("memory-label").hidden = $("machine").value !== "@memory";
    refresh();
  });
  for (const id of ["memory", "quant", "kv-type", "parallel", "runtime", "timeout"]) $(id).addEventListener("change", refresh);
  for (const id of ["rec-use", "rec-minctx"]) $(id).addEventListener("change", () => loadView("recommend"));
  for (const id of ["buy-min-decode", "buy-budget"]) $(id).addEventListener("change", () => loadView("buy"));
  for (const id of ["doc-runtime", "doc-prompt", "doc-numctx"]) $(id).addEventListener("change", () => loadView("doctor"));
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showView(b.dataset.view));
  for (const b of document.querySelectorAll(".lang button")) b.addEventListener("click", () => loadLang(b.dataset.lang));
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => {
      if (state.last.curve) renderCurve(state.last.curve);
    }, 100);
  });
  showView("fit");
  document.body.dataset.ready = "1";
}

start().catch((e) => {
  document.body.prepend(el("p", { class: "error" }, String(e.message || e)));
});
