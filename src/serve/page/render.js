// ---- rendering ----
const partyResult = () => state.result && state.result.parties.find(p => p.name === state.party);
const yearIndex = () => state.result ? state.result.years.indexOf(state.year) : -1;
const partyLabel = () => (state.scenario.parties.find(p => p.name === state.party) || {}).label || state.party;

function render() {
  renderRequiredControls();
  renderHeadline();
  renderFan();
  renderBars();
  renderTable();
}

function renderHeadline() {
  const t = T(), pr = partyResult(), i = yearIndex();
  const h = $("headline");
  h.replaceChildren(document.createTextNode(t.headline(state.year, partyLabel())));
  const strong = document.createElement("strong");
  strong.id = "headline-p";
  h.append(strong);
  if (!pr || i < 0) { strong.textContent = "…"; $("plan-line").textContent = ""; return; }
  const p = pr.p_overrun[i];
  strong.textContent = pct(p);
  strong.dataset.value = isNum(p) ? String(p) : "";
  let rest = "";
  if (pr.base) {
    const changed = Object.keys(state.runOverrides).length > 0;   // of the run shown, not of the inputs now
    const d = pr.diff;
    rest = changed && d
      ? t.vsBase(pct(pr.base.p_overrun[i]), `${pp(d.p_overrun[i])} ${t.pp}`, interval(d.p_overrun_ci95[i], pp))
      : t.sameAsBase(pct(pr.base.p_overrun[i]));
  }
  h.append(document.createTextNode(rest));
  const wp = pr.without_plan;
  $("plan-line").textContent = wp && pr.base
    ? t.planLine(pct(pr.base.p_overrun[i]), pct(wp.p_overrun[i]), pp(pr.base.p_overrun[i] - wp.p_overrun[i]))
    : state.scenario.has_plan ? "" : t.noPlan;
}

function el(name, attrs = {}, parent) {
  const node = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.append(node);
  return node;
}
function text(parent, x, y, s, attrs = {}) {
  const node = el("text", { x, y, ...attrs }, parent);
  node.textContent = s;
  return node;
}

// "Nice" axis ticks (steps of 1, 2 or 5 × 10^k), about `count` of them.
function ticks(lo, hi, count) {
  const raw = (hi - lo) / count, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return { out, step };
}

// Common frame of both charts: x by year index, y linear; year labels below, clicks select the year.
function frame(svg, years, lo, hi, box, yFmt, yTicks) {
  const [W, H] = svg.getAttribute("viewBox").split(" ").slice(2).map(Number);
  const L = box.l, R = W - box.r, Tp = box.t, B = H - box.b;
  const x = i => L + ((i + 0.5) * (R - L)) / years.length;
  const y = v => B - ((v - lo) * (B - Tp)) / (hi - lo);
  const axis = el("g", { class: "axis" }, svg);
  for (const v of yTicks) {
    el("line", { x1: L, x2: R, y1: y(v), y2: y(v) }, axis);
    text(axis, L - 6, y(v) + 4, yFmt(v), { "text-anchor": "end" });
  }
  years.forEach((yr, i) => {
    if (yr === state.year) el("rect", { x: x(i) - (R - L) / years.length / 2, y: Tp, width: (R - L) / years.length, height: B - Tp, fill: "#fff6d6" }, svg);
    text(axis, x(i), B + 16, String(yr), { "text-anchor": "middle", "font-weight": yr === state.year ? 700 : 400 });
  });
  svg.append(axis);   // grid above the year highlight
  return { x, y, L, R, Tp, B, W, H };
}

function yearHits(svg, f, years, tip) {   // invisible columns: hover shows numbers, click picks the year
  years.forEach((yr, i) => {
    const w = (f.R - f.L) / years.length;
    const r = el("rect", { x: f.x(i) - w / 2, y: f.Tp, width: w, height: f.B - f.Tp, fill: "transparent", style: "cursor:pointer" }, svg);
    el("title", {}, r).textContent = tip(i);
    r.addEventListener("click", () => { state.year = yr; $("year").value = yr; render(); });
  });
}

const linePath = (vals, f) => vals.map((v, i) => (isNum(v) ? `${i && isNum(vals[i - 1]) ? "L" : "M"}${f.x(i).toFixed(1)},${f.y(v).toFixed(1)}` : "")).join("");
function bandPath(lo, hi, f) {
  const idx = lo.map((_, i) => i).filter(i => isNum(lo[i]) && isNum(hi[i]));
  if (!idx.length) return "";
  return "M" + idx.map(i => `${f.x(i).toFixed(1)},${f.y(hi[i]).toFixed(1)}`).join("L") +
         "L" + idx.reverse().map(i => `${f.x(i).toFixed(1)},${f.y(lo[i]).toFixed(1)}`).join("L") + "Z";
}
function legend(id, items) {
  $(id).replaceChildren(...items.map(([label, color, style]) => {
    const s = document.createElement("span");
    s.textContent = label;
    s.style.setProperty("--c", color);
    if (style) { s.className = "line"; s.style.setProperty("--s", style); }
    return s;
  }));
}

function emptyChart(svg) {
  const [W, H] = svg.getAttribute("viewBox").split(" ").slice(2).map(Number);
  text(svg, W / 2, H / 2, T().waiting, { "text-anchor": "middle", class: "empty" });
}

function renderFan() {
  const t = T(), svg = $("fan"), pr = partyResult();
  svg.replaceChildren();
  $("h-fan").textContent = t.fanTitle(partyLabel());
  svg.setAttribute("aria-label", t.fanTitle(partyLabel()));
  const withPlan = pr && pr.without_plan;
  // The lumpsum can follow the cost (a contract's downward adjustment), so a variant has
  // its own; the base's is drawn too when the server sends it.
  const baseLumpsum = pr && pr.base && Array.isArray(pr.base.lumpsum) ? pr.base.lumpsum : null;
  legend("fan-legend", [[t.band90, "var(--band-outer)"], [t.band50, "var(--band-inner)"], [t.median, "var(--variant)", "solid"],
    [t.baseMedian, "var(--base)", "dashed"], ...(withPlan ? [[t.noPlanMedian, "var(--noplan)", "dotted"]] : []), [t.lumpsum, "var(--lumpsum)", "solid"],
    ...(baseLumpsum ? [[t.baseLumpsum, "var(--lumpsum)", "dashed"]] : [])]);
  if (!pr) { emptyChart(svg); return; }
  const years = state.result.years, c = pr.cost;
  const series = [c.p05, c.p95, pr.lumpsum, baseLumpsum || [], pr.base ? pr.base.cost.p50 : [], withPlan ? pr.without_plan.cost.p50 : []];
  const all = series.flat().filter(isNum).map(v => v / 1e6);
  let lo = Math.min(...all), hi = Math.max(...all);
  const pad = Math.max((hi - lo) * 0.08, 1);
  const tk = ticks(lo - pad, hi + pad, 6);
  lo = Math.min(tk.out[0], lo - pad); hi = Math.max(tk.out[tk.out.length - 1], hi + pad);
  const f = frame(svg, years, lo, hi, { l: 62, r: 14, t: 14, b: 40 }, v => num(v, tk.step < 1 ? 1 : 0), tk.out);
  const m = vals => (vals || []).map(v => (isNum(v) ? v / 1e6 : null));
  el("path", { d: bandPath(m(c.p05), m(c.p95), f), fill: "var(--band-outer)" }, svg);
  el("path", { d: bandPath(m(c.p25), m(c.p75), f), fill: "var(--band-inner)" }, svg);
  if (withPlan) el("path", { d: linePath(m(pr.without_plan.cost.p50), f), fill: "none", stroke: "var(--noplan)", "stroke-width": 2, "stroke-dasharray": "2 4", "stroke-linecap": "round" }, svg);
  if (pr.base) el("path", { d: linePath(m(pr.base.cost.p50), f), fill: "none", stroke: "var(--base)", "stroke-width": 2, "stroke-dasharray": "7 5" }, svg);
  el("path", { id: "fan-median", d: linePath(m(c.p50), f), fill: "none", stroke: "var(--variant)", "stroke-width": 2.5 }, svg);
  if (baseLumpsum) el("path", { id: "fan-base-lumpsum", d: linePath(m(baseLumpsum), f), fill: "none", stroke: "var(--lumpsum)", "stroke-width": 1.8, "stroke-dasharray": "7 5" }, svg);
  el("path", { id: "fan-lumpsum", d: linePath(m(pr.lumpsum), f), fill: "none", stroke: "var(--lumpsum)", "stroke-width": 2.5 }, svg);
  text(svg, 14, f.Tp + (f.B - f.Tp) / 2, t.eurAxis, { class: "title", transform: `rotate(-90 14 ${f.Tp + (f.B - f.Tp) / 2})`, "text-anchor": "middle" });
  text(svg, (f.L + f.R) / 2, f.H - 4, t.yearAxis, { class: "title", "text-anchor": "middle" });
  yearHits(svg, f, years, i => `${years[i]}\n${t.median}: ${mln(c.p50[i])}\nP5–P95: ${mln(c.p05[i])} … ${mln(c.p95[i])}\n` +
    (pr.base ? `${t.baseMedian}: ${mln(pr.base.cost.p50[i])}\n` : "") + `${t.lumpsum}: ${mln(pr.lumpsum[i])}` +
    (baseLumpsum ? `\n${t.baseLumpsum}: ${mln(baseLumpsum[i])}` : ""));
}

function renderBars() {
  const t = T(), svg = $("bars"), pr = partyResult();
  svg.replaceChildren();
  $("h-bars").textContent = t.barsTitle(partyLabel());
  svg.setAttribute("aria-label", t.barsTitle(partyLabel()));
  legend("bars-legend", [[t.pVariantCi, "var(--variant)"], [t.pBase, "#c3c8cf"]]);
  if (!pr) { emptyChart(svg); return; }
  const years = state.result.years;
  const f = frame(svg, years, 0, 1, { l: 62, r: 14, t: 20, b: 24 }, pct, [0, 0.25, 0.5, 0.75, 1]);
  const w = ((f.R - f.L) / years.length) * 0.34;
  years.forEach((_, i) => {
    const pb = pr.base ? pr.base.p_overrun[i] : null, pv = pr.p_overrun[i];
    if (isNum(pb)) el("rect", { x: f.x(i) - w - 1, y: f.y(pb), width: w, height: f.B - f.y(pb), fill: "#c3c8cf" }, svg);
    if (!isNum(pv)) return;
    el("rect", { x: f.x(i) + 1, y: f.y(pv), width: w, height: f.B - f.y(pv), fill: "var(--variant)" }, svg);
    const ci = pr.p_overrun_ci95 && pr.p_overrun_ci95[i];
    if (ci && isNum(ci[0]) && isNum(ci[1])) {
      const cx = f.x(i) + 1 + w / 2;
      el("path", { d: `M${cx},${f.y(ci[0])}V${f.y(ci[1])}M${cx - 4},${f.y(ci[0])}h8M${cx - 4},${f.y(ci[1])}h8`, stroke: "#17324f", "stroke-width": 1.2, fill: "none" }, svg);
    }
    const top = ci && isNum(ci[1]) ? Math.max(pv, ci[1]) : pv;   // above the whisker
    text(svg, f.x(i) + 1 + w / 2, f.y(top) - 4, pct(pv), { "text-anchor": "middle", "font-size": 11, fill: "#17324f", "font-weight": 600 });
  });
  yearHits(svg, f, years, i => `${years[i]}: ${t.pVariant} ${pct(pr.p_overrun[i])}` + (pr.base ? `, ${t.pBase} ${pct(pr.base.p_overrun[i])}` : ""));
}

function renderTable() {
  const t = T(), i = yearIndex();
  $("h-table").textContent = t.tableTitle(state.year);
  const head = document.createElement("tr");
  head.append(...t.cols.map(c => Object.assign(document.createElement("th"), { textContent: c })));
  $("parties").tHead.replaceChildren(head);
  if (!state.result || i < 0) { $("parties").tBodies[0].replaceChildren(); return; }
  const cls = x => (isNum(x) && Math.abs(x) > 1e-12 ? (x < 0 ? "neg" : "pos") : "");
  const m1 = eur => (isNum(eur) ? num(eur / 1e6, 1) : "—");            // the header says € mln
  const dm = eur => (isNum(eur) ? signed(eur / 1e6, 1) : "—");
  const rows = state.result.parties.map(p => {
    const d = p.diff, tr = document.createElement("tr");
    tr.className = p.name === state.party ? "selected" : "";
    tr.dataset.party = p.name;
    // [main text, small second line, colour class]
    const cells = [
      [p.label, t.kinds[p.kind] || p.kind, ""], [m1(p.lumpsum[i]), "", ""], [m1(p.cost.mean[i]), "", ""],
      [pct(p.p_overrun[i]), "", ""], [p.base ? pct(p.base.p_overrun[i]) : "—", "", ""],
      d ? [pp(d.p_overrun[i]), interval(d.p_overrun_ci95[i], pp), cls(d.p_overrun[i])] : ["—", "", ""],
      d ? [dm(d.cost_mean[i]), interval(d.cost_ci95[i], dm), cls(d.cost_mean[i])] : ["—", "", ""],
    ];
    for (const [main, small, c] of cells) {
      const td = document.createElement("td");
      td.textContent = main;
      td.className = c;
      if (small) {
        const div = document.createElement("div");
        div.className = "kind";
        div.textContent = small;
        td.append(div);
      }
      tr.append(td);
    }
    tr.addEventListener("click", () => { state.party = p.name; $("party").value = p.name; render(); });
    return tr;
  });
  $("parties").tBodies[0].replaceChildren(...rows);
}

