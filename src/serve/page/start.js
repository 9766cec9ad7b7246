// ---- start ----
function fillSelects() {
  const s = state.scenario, t = T();
  const reps = $("replications");
  const { default: def, max } = s.replications;
  const choices = [...new Set([10, 20, 50, 100, 200, 400, def, max])].filter(n => n >= 1 && n <= max).sort((a, b) => a - b);
  reps.replaceChildren(...choices.map(n => new Option(String(n), String(n), n === def, n === def)));
  const party = $("party");
  party.replaceChildren();
  for (const kind of ["region", "municipality", "provider"]) {
    const list = s.parties.filter(p => p.kind === kind);
    if (!list.length) continue;
    const og = document.createElement("optgroup");
    og.label = t.kindGroups[kind];
    og.append(...list.map(p => new Option(p.label, p.name)));
    party.append(og);
  }
  state.party = (s.parties.find(p => p.kind === "region") || s.parties[0]).name;
  party.value = state.party;
  state.year = s.years[s.years.length - 1];
  $("year").replaceChildren(...s.years.map(y => new Option(String(y), String(y))));
  $("year").value = state.year;
}

function fillTexts() {
  const t = T();
  document.documentElement.lang = state.lang;
  document.title = `${t.title} · ${state.scenario.name}`;
  $("title").textContent = `${t.title} · ${state.scenario.name}`;
  $("desc").textContent = state.scenario.description || "";
  $("desc").title = state.scenario.description || "";
  const set = { "l-replications": t.replications, reset: t.reset, "l-party": t.party, "l-year": t.year, "h-save": t.save,
    save: t.saveBtn, "show-toml": t.showToml, "save-hint": t.saveHint, "l-saved": t.saved, "l-validate": t.validate,
    "h-export": t.export, "export-hint": t.exportHint, export: t.exportBtn, "l-folder": t.folder, "l-report": t.report,
    "table-note": t.tableNote, "h-required": t.required, "l-required-lever": t.reqLever, "l-required-target": t.reqTarget,
    "u-required-target": "%", "l-required-from": t.reqFrom, "required-run": t.reqRun };
  for (const [id, s] of Object.entries(set)) $(id).textContent = s;
}

async function main() {
  try {
    const response = await fetch("/api/scenario");
    if (!response.ok) throw new Error((await errorOf(response)).error);
    state.scenario = await response.json();
  } catch (e) {
    showError({ error: `/api/scenario: ${e.message || e}` });
    setStatus("error", null);
    return;
  }
  state.lang = state.scenario.lang === "en" ? "en" : "nl";
  fillTexts();
  fillSelects();
  buildLevers();
  fillRequired();
  wireActions();
  setStatus("idle", null);
  render();
  startRun();   // the base first, with no overrides
}
main();
