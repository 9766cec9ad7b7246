// ---- running: debounce, abort the previous fetch, read the SSE stream ----
function scheduleRun() {
  clearTimeout(state.debounce);
  state.debouncing = true;
  state.debounce = setTimeout(startRun, 400);   // a typing negotiator should not start ten runs
}

function setStatus(s, result) {
  const el = $("status");
  el.dataset.state = s;
  if (result) el.dataset.replications = result.replications;
  const k = result ? result.replications : 0;
  const n = result ? result.requested : Number($("replications").value);
  const t = T();
  $("status-text").textContent =
    s === "running" ? t.running(k, n) :
    s === "done" ? t.done(k, `${num((result.elapsed_ms || 0) / 1000, 1)} s`) : t[s];
  $("fan-progress").textContent = s === "running" ? `(${t.running(k, n)})` : "";   // the fan fills as they come
  $("progress").firstElementChild.style.width = `${s === "done" ? 100 : n ? (100 * k) / n : 0}%`;
}

function postJSON(url, body, signal, accept = "application/json") {
  return fetch(url, {
    method: "POST", signal, body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "Accept": accept },
  });
}

async function errorOf(response) {
  try { return await response.json(); } catch (e) { return { error: `HTTP ${response.status}` }; }
}

async function startRun() {
  clearTimeout(state.debounce);
  state.debouncing = false;
  const { overrides, invalid } = readOverrides();
  if (invalid.length) return;
  // The levers changed: a search on the old ones is void (the server cancels it too).
  if (state.reqController) abortRequired(T().reqCancelledLevers);
  if (state.controller) state.controller.abort();   // the server also cancels it: one run at a time
  const controller = new AbortController();
  state.controller = controller;
  const run = ++state.run;
  state.pendingOverrides = overrides;   // become state.runOverrides with this run's first result
  const el = $("status");
  el.dataset.run = run;
  el.dataset.replications = 0;
  setStatus("running", null);
  const current = () => state.run === run;
  try {
    const replications = Number($("replications").value);
    const response = await postJSON("/api/run", { overrides, replications }, controller.signal, "text/event-stream");
    if (!response.ok) {
      const err = await errorOf(response);
      if (current()) { showError(err); setStatus(response.status === 409 ? "cancelled" : "error", null); }
      return;
    }
    clearError();
    if (!(response.headers.get("Content-Type") || "").includes("text/event-stream")) {
      onEvent(run, "done", await response.text());   // a server that answered with plain JSON
      return;
    }
    await readEvents(response, (event, data) => current() && onEvent(run, event, data));
    if (current() && $("status").dataset.state === "running") {   // the server went away mid-run
      showError({ error: T().streamEnded });
      setStatus("error", null);
    }
  } catch (e) {
    if (e.name !== "AbortError" && current()) { showError({ error: String(e.message || e) }); setStatus("error", null); }
  }
}

// Splits the byte stream into SSE events ("event: x\ndata: ...\n\n").
async function readEvents(response, handle) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) handle(event, data.join("\n"));
    }
  }
}

function onEvent(run, event, data) {
  let payload;
  try { payload = JSON.parse(data); } catch (e) { payload = { error: data }; }
  if (event === "progress" || event === "done") {
    state.result = payload;
    state.runOverrides = state.pendingOverrides;
    render();
    setStatus(event === "done" ? "done" : "running", payload);
  } else if (event === "cancelled") {
    setStatus("cancelled", null);
  } else if (event === "error") {
    showError(payload);
    setStatus("error", null);
  }
}

// ---- errors: shown above the levers with location and fix; the page keeps working ----
function showError(err) {
  const box = $("error");
  box.replaceChildren();
  const msg = document.createElement("div");
  msg.textContent = err.error || String(err);
  box.append(msg);
  if (err.location) appendLine(box, T().errWhere, err.location, "where");
  if (err.fix) appendLine(box, T().errFix, err.fix);
  box.classList.add("visible");
  for (const input of leverInputs()) if (err.field && input.dataset.path === err.field) input.classList.add("invalid");
}
function appendLine(box, label, text, cls) {
  const div = document.createElement("div");
  if (cls) div.className = cls;
  div.textContent = `${label} ${text}`;
  box.append(div);
}
function clearError() {
  $("error").classList.remove("visible");
  $("error").replaceChildren();
  for (const input of leverInputs()) if (isFinite(Number(input.value)) && input.value !== "") input.classList.remove("invalid");
}

