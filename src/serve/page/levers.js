// ---- state ----
const state = {
  scenario: null, lang: "nl", result: null, party: null, year: null,
  run: 0, controller: null, debounce: null, debouncing: false, runOverrides: {}, pendingOverrides: {},
  reqSeq: 0, reqController: null, required: null, fromYear: null,
};
const $ = id => document.getElementById(id);
const T = () => TEXTS[state.lang];
const SVGNS = "http://www.w3.org/2000/svg";

// ---- number formats: Dutch 1.234,5 / € 262,6 mln; English 1,234.5 / € 262.6 M ----
function num(x, decimals) {
  const locale = state.lang === "nl" ? "nl-NL" : "en-GB";
  const s = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(x);
  return s.replace("-", "\u2212");   // a real minus sign, as in print
}
const signed = (x, decimals) => (x > 0 ? "+" : "") + num(Math.abs(x) < 0.5 * 10 ** -decimals ? 0 : x, decimals);
const isNum = x => typeof x === "number" && isFinite(x);
function pct(p) {
  if (!isNum(p)) return "—";
  return num(p * 100, 0) + (state.lang === "nl" ? "\u00a0%" : "%");
}
function mln(eur, decimals = 1) {
  if (!isNum(eur)) return "—";
  return state.lang === "nl" ? `€\u00a0${num(eur / 1e6, decimals)}\u00a0mln` : `€\u00a0${num(eur / 1e6, decimals)}\u00a0M`;
}
const signedMln = eur => isNum(eur) ? (eur > 0 ? "+" : "") + mln(eur) : "—";
const pp = d => isNum(d) ? signed(d * 100, 0) : "—";
function interval(ci, f) {   // "−14 … −4"; empty while the server has none (one replication)
  return Array.isArray(ci) && isNum(ci[0]) && isNum(ci[1]) ? `${f(ci[0])} … ${f(ci[1])}` : "";
}

// ---- levers: display units (fraction as %, euros as millions) ----
const SCALE = { fraction: 100, eur: 1e-6 };
const scaleOf = lever => SCALE[lever.unit] || 1;
// toPrecision(12) drops float noise such as 0.019*100 = 1.9000000000000001.
const toDisplay = (lever, v) => Number((v * scaleOf(lever)).toPrecision(12));
const fromDisplay = (lever, d) => Number((d / scaleOf(lever)).toPrecision(12));
function showValue(lever, v) {
  const d = toDisplay(lever, v);
  if (lever.unit === "year") return String(d);
  const decimals = Math.min(4, (String(toDisplay(lever, lever.step)).split(".")[1] || "").length);
  return num(d, decimals);
}

function leverRow(lever, shown) {
  const row = document.createElement("div");
  row.className = "lever";
  const name = document.createElement("label");
  name.className = "name";
  name.textContent = shown || lever.label;
  name.title = lever.label;
  const input = document.createElement("input");
  input.type = "number";
  input.dataset.path = lever.path;
  input.id = "lever-" + lever.path.replace(/[^A-Za-z0-9_-]/g, "_");
  name.htmlFor = input.id;
  input.min = toDisplay(lever, lever.min);
  input.max = toDisplay(lever, lever.max);
  input.step = toDisplay(lever, lever.step) || "any";
  input.value = toDisplay(lever, lever.value);
  const unit = document.createElement("span");
  unit.className = "unit";
  unit.textContent = T().units[lever.unit] || lever.unit || "";
  const base = document.createElement("div");
  base.className = "base";
  base.textContent = `${T().base}: ${showValue(lever, lever.value)}`;
  const back = document.createElement("button");
  back.type = "button";
  back.textContent = T().toBase;
  back.hidden = true;
  back.addEventListener("click", () => { input.value = toDisplay(lever, lever.value); leverChanged(); });
  base.append(back);
  input.addEventListener("input", leverChanged);
  input.addEventListener("change", leverChanged);
  row.append(name, input, unit, base);
  return row;
}

function buildLevers() {
  const box = $("levers");
  box.replaceChildren();
  const h = document.createElement("h2");
  h.textContent = T().levers;
  box.append(h);
  const groups = state.scenario.groups || [];
  groups.forEach((g, i) => {
    const levers = state.scenario.levers.filter(l => l.group === g.id);
    if (!levers.length) return;   // a group may be empty
    const det = document.createElement("details");
    det.className = "group";
    det.dataset.group = g.id;
    det.open = i === 0;
    const sum = document.createElement("summary");
    const label = document.createElement("span");
    label.textContent = `${g.label} (${levers.length})`;
    const changed = document.createElement("span");
    changed.className = "changed";
    sum.append(label, changed);
    det.append(sum, ...groupRows(levers));
    box.append(det);
  });
  // Levers whose group is not listed still get a place (the contract says ids may grow).
  const known = new Set(groups.map(g => g.id));
  const rest = state.scenario.levers.filter(l => !known.has(l.group));
  if (rest.length) {
    const det = document.createElement("details");
    det.className = "group";
    det.innerHTML = "<summary><span>…</span><span class=changed></span></summary>";
    det.append(...groupRows(rest));
    box.append(det);
  }
}

// Labels read "<care form or intervention>: <what>"; levers sharing the part before the
// last ": " get it once as a subheading, so a long list stays readable.
function groupRows(levers) {
  const cut = l => l.label.lastIndexOf(": ");
  const head = l => (cut(l) > 0 ? l.label.slice(0, cut(l)) : null);
  const count = {};
  for (const l of levers) count[head(l)] = (count[head(l)] || 0) + 1;
  const rows = [];
  let current = null;
  for (const l of levers) {
    const h = head(l);
    if (h && count[h] > 1) {
      if (h !== current) {
        const div = document.createElement("div");
        div.className = "subhead";
        div.textContent = h;
        rows.push(div);
      }
      rows.push(leverRow(l, l.label.slice(cut(l) + 2)));
    } else {
      rows.push(leverRow(l));
    }
    current = h && count[h] > 1 ? h : null;
  }
  return rows;
}

const leverByPath = path => state.scenario.levers.find(l => l.path === path);
const leverInputs = () => [...document.querySelectorAll("input[data-path]")];

// Reads every lever input; only the changed ones become overrides (smaller request, clearer TOML).
function readOverrides() {
  const overrides = {}, invalid = [];
  for (const input of leverInputs()) {
    const lever = leverByPath(input.dataset.path);
    const d = input.value.trim() === "" ? NaN : Number(input.value);
    input.classList.toggle("invalid", !isFinite(d));
    if (!isFinite(d)) { invalid.push(lever.label); continue; }
    const v = fromDisplay(lever, d);
    if (Math.abs(v - lever.value) > 1e-9 * Math.max(1, Math.abs(lever.value))) overrides[lever.path] = v;
  }
  return { overrides, invalid };
}

// Marks changed rows, counts them per group and lists them as chips under the headline.
function markChanged(overrides) {
  for (const input of leverInputs()) {
    const changed = input.dataset.path in overrides;
    const row = input.closest(".lever");
    row.classList.toggle("changed", changed);
    row.querySelector(".base button").hidden = !changed;
  }
  for (const det of document.querySelectorAll("details.group")) {
    const n = det.querySelectorAll(".lever.changed").length;
    det.querySelector(".changed").textContent = n ? T().changed(n) : "";
  }
  const chips = Object.entries(overrides).map(([path, v]) => {
    const lever = leverByPath(path);
    const chip = document.createElement("span");
    chip.className = "chip";
    const unit = lever.unit === "year" ? "" : T().units[lever.unit] || "";
    chip.textContent = `${lever.label}: ${showValue(lever, lever.value)} → ${showValue(lever, v)} ${unit}`.trim();
    return chip;
  });
  $("changes").replaceChildren(...chips);
}

function leverChanged() {
  const { overrides, invalid } = readOverrides();
  markChanged(overrides);
  markRequiredStale(overrides);
  if (invalid.length) { showError({ error: invalid.map(T().invalidNumber).join(" ") }); return; }
  scheduleRun();
}

