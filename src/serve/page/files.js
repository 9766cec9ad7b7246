// ---- save, TOML and export ----
// Their errors show beside their button (`box`); one about a lever also beside the levers.
async function postAndShow(url, body, box, onOk) {
  const local = $(box);
  local.hidden = true;
  let err = null;
  try {
    const response = await postJSON(url, body);
    if (response.ok) onOk(await response.json());
    else err = await errorOf(response);
  } catch (e) { err = { error: String(e.message || e) }; }
  if (!err) return;
  local.replaceChildren(Object.assign(document.createElement("div"), { textContent: err.error || String(err) }));
  if (err.location) appendLine(local, T().errWhere, err.location, "where");
  if (err.fix) appendLine(local, T().errFix, err.fix);
  local.hidden = false;
  if (err.field && leverByPath(err.field)) showError(err);
}

function showToml(text, name) {
  $("toml-text").textContent = text;
  const link = $("download");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type: "application/toml" }));   // no network: a local Blob
  link.download = `${name}.toml`;
  link.textContent = T().download;
  $("toml-result").hidden = false;
}

function saveName() {
  const name = $("save-name").value.trim();
  const ok = /^[a-z0-9_-]{1,64}$/.test(name);
  $("save-error").hidden = ok;
  $("save-error").textContent = ok ? "" : T().badName;
  return ok ? name : null;
}

function wireActions() {
  $("save").addEventListener("click", () => {
    const name = saveName();
    if (!name) return;
    postAndShow("/api/save", { overrides: readOverrides().overrides, name }, "save-error", r => {
      $("saved-path").textContent = r.path;
      $("saved-validate").textContent = r.validate;
      $("save-result").hidden = false;
      showToml(r.text, name);
    });
  });
  $("save-name").addEventListener("keydown", e => { if (e.key === "Enter") $("save").click(); });
  $("show-toml").addEventListener("click", () => {
    const name = saveName();
    if (!name) return;
    postAndShow("/api/toml", { overrides: readOverrides().overrides, name }, "save-error", r => showToml(r.text, name));
  });
  $("export").addEventListener("click", async () => {
    const button = $("export");
    button.disabled = true;
    button.textContent = T().exporting;
    await postAndShow("/api/export", { overrides: readOverrides().overrides, replications: Number($("replications").value) }, "export-error", r => {
      $("exported").textContent = r.folder;
      $("exported-report").textContent = r.report;
      $("export-result").hidden = false;
    });
    button.disabled = false;
    button.textContent = T().exportBtn;
    // The export cancelled the live run (one simulation at a time): start it again.
    if ($("status").dataset.state !== "done") startRun();
  });
  $("reset").addEventListener("click", () => {
    for (const input of leverInputs()) input.value = toDisplay(leverByPath(input.dataset.path), leverByPath(input.dataset.path).value);
    leverChanged();
  });
  $("required-run").addEventListener("click", startRequired);
  $("required-target").addEventListener("keydown", e => { if (e.key === "Enter") startRequired(); });
  $("replications").addEventListener("change", scheduleRun);
  $("party").addEventListener("change", e => { state.party = e.target.value; render(); });
  $("year").addEventListener("change", e => { state.year = Number(e.target.value); render(); });
}

