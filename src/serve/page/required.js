// ---- "What would have to change?": POST /api/required, its search streamed ----
// The server searches the change of one lever (on all care forms, from a year on) that brings
// P(cost > lumpsum) of one party in one year to a target, on the same replications. It takes
// dozens of runs, so it starts on a click; a newer run or search cancels it (one at a time).
const REQ_LEVERS = ["inflow", "duration", "tariff", "exit", "access"];
const MULTIPLIES = new Set(["inflow", "duration", "tariff"]);   // × (1 + change); exit and access are shares
function reqChange(lever, x) {   // −1,1 % for a multiplier (signed), 4,0 % for a share
  if (!isNum(x)) return "—";
  return (MULTIPLIES.has(lever) ? signed(x * 100, 1) : num(x * 100, 1)) + (state.lang === "nl" ? "\u00a0%" : "%");
}
function scopeOf(name) {   // `region`, `municipality:NAME` or `provider:NAME`
  const p = state.scenario.parties.find(x => x.name === name);
  return !p || p.kind === "region" ? "region" : `${p.kind}:${p.name}`;
}
const labelOf = name => (state.scenario.parties.find(p => p.name === name) || {}).label || name;

function fillRequired() {
  const t = T();
  $("required-lever").replaceChildren(...REQ_LEVERS.map(l => new Option(t.reqLevers[l], l)));
  $("required-lever").value = "inflow";
  state.fromYear = null;
  renderRequiredControls();
}

// "from" offers the years up to the chosen year (a change cannot start after the year asked
// about); while no answer is shown, the hint names the chosen party and year.
function renderRequiredControls() {
  const years = state.scenario.years, sel = $("required-from");
  if (state.fromYear !== state.year) {
    const keep = Number(sel.value) || years[0];
    sel.replaceChildren(...years.filter(y => y <= state.year).map(y => new Option(String(y), String(y))));
    sel.value = String(Math.min(keep, state.year));
    state.fromYear = state.year;
  }
  const a = $("required-answer");
  if (!a.dataset.status) a.textContent = T().reqHint(partyLabel(), state.year);
}

// Status (found|already_met|unreachable|running|error|cancelled), the sentence as
// [text, bold] parts (or a string), and the change fraction for data-change.
function setRequired(status, parts, change) {
  const a = $("required-answer");
  a.dataset.status = status;
  if (isNum(change)) a.dataset.change = String(change); else delete a.dataset.change;
  a.classList.toggle("hint", status === "running" || status === "cancelled");
  a.classList.remove("stale-answer");
  if (typeof parts === "string") parts = [[parts]];
  a.replaceChildren(...parts.map(([s, bold]) => (bold ? Object.assign(document.createElement("b"), { textContent: s }) : document.createTextNode(s))));
}

function abortRequired(message) {
  state.reqSeq++;   // its late events and its `finally` are no longer current
  if (state.reqController) state.reqController.abort();
  state.reqController = null;
  setRequired("cancelled", message);
}

// An answer stays, greyed, once the levers differ from the ones it was computed on.
function markRequiredStale(overrides) {
  const a = $("required-answer"), ctx = state.required;
  if (!ctx || !["found", "already_met", "unreachable"].includes(a.dataset.status)) return;
  const stale = JSON.stringify(overrides) !== ctx.key;
  a.classList.toggle("stale-answer", stale);
  const note = a.querySelector(".stale");
  if (stale && !note) a.append(Object.assign(document.createElement("span"), { className: "stale", textContent: T().reqStale }));
  if (!stale && note) note.remove();
}

function requiredError(err) {
  let msg = err.error || String(err);
  if (err.fix) msg += ` ${T().errFix} ${err.fix}`;
  setRequired("error", msg);
}

async function startRequired() {
  const t = T();
  const { overrides, invalid } = readOverrides();
  if (invalid.length) { setRequired("error", invalid.map(t.invalidNumber).join(" ")); return; }
  const raw = $("required-target").value.trim(), targetPct = Number(raw);
  if (raw === "" || !(targetPct >= 1 && targetPct <= 99)) { setRequired("error", t.reqBadTarget); return; }
  if (state.reqController) state.reqController.abort();
  const controller = new AbortController();
  state.reqController = controller;
  const seq = ++state.reqSeq;
  const current = () => state.reqSeq === seq;
  // One simulation at a time: this search cancels the live run on the server. Stop reading
  // that run (or the one about to start) and start it again when the search is over.
  const rerun = state.debouncing || $("status").dataset.state !== "done";
  clearTimeout(state.debounce);
  state.debouncing = false;
  if (state.controller && $("status").dataset.state === "running") {
    state.controller.abort();
    state.run++;
    setStatus("cancelled", null);
  }
  const ctx = {
    lever: $("required-lever").value, year: state.year, party: state.party,
    from: Math.min(Number($("required-from").value) || state.scenario.years[0], state.year),
    target: targetPct / 100, key: JSON.stringify(overrides),
  };
  state.required = null;
  setRequired("running", t.reqRunning(0));
  let ended = false;
  try {
    const body = { overrides, replications: Number($("replications").value), lever: ctx.lever, year: ctx.year,
      scope: scopeOf(ctx.party), target: ctx.target, from: ctx.from };
    const response = await postJSON("/api/required", body, controller.signal, "text/event-stream");
    if (!response.ok) {
      const err = await errorOf(response);
      if (current()) requiredError(err);
      return;
    }
    let k = 0;
    await readEvents(response, (event, data) => {
      if (!current()) return;
      let payload;
      try { payload = JSON.parse(data); } catch (e) { payload = { error: data }; }
      if (event === "evaluation") {
        k += 1;
        setRequired("running", T().reqRunning(k, reqChange(ctx.lever, payload.change), pct(payload.p_overrun)));
      } else if (event === "done") {
        ended = true;
        showAnswer(ctx, Array.isArray(payload) ? payload[0] : payload);
      } else if (event === "cancelled") {
        ended = true;
        setRequired("cancelled", T().reqCancelled);
      } else if (event === "error") {
        ended = true;
        requiredError(payload);
      }
    });
    if (current() && !ended) requiredError({ error: T().streamEnded });
  } catch (e) {
    if (e.name !== "AbortError" && current()) requiredError({ error: String(e.message || e) });
  } finally {
    if (current()) {
      state.reqController = null;
      if (rerun) startRun();
    }
  }
}

function showAnswer(ctx, a) {
  const t = T();
  if (!a || typeof a !== "object" || !a.status) { requiredError({ error: T().streamEnded }); return; }
  const party = labelOf(ctx.party), year = a.year || ctx.year, from = a.from_year || ctx.from;
  const target = pct(isNum(a.target_p_overrun) ? a.target_p_overrun : ctx.target);
  const phrase = c => (t.reqPhrase[ctx.lever] || (x => `${ctx.lever} ${x}`))(reqChange(ctx.lever, c));
  const confirmed = pct(a.p_overrun_confirmed);
  if (a.status === "found") {
    const ci = Array.isArray(a.change_ci95) && isNum(a.change_ci95[0]) && isNum(a.change_ci95[1])
      ? [...a.change_ci95].sort((x, y) => x - y).map(x => reqChange(ctx.lever, x)).join(" … ") : "";
    setRequired("found", t.reqFound(phrase(a.change), ci, from, year, party, target, confirmed), a.change);
  } else if (a.status === "already_met") {
    setRequired("already_met", t.reqMet(year, party, confirmed, target), a.change);
  } else if (a.status === "unreachable") {
    setRequired("unreachable", t.reqUnreachable(phrase(a.change), year, party, confirmed, target, from), a.change);
  } else {
    requiredError({ error: `status ${a.status}` });
    return;
  }
  state.required = ctx;
  markRequiredStale(readOverrides().overrides);
}

