"""The `jeugdstroom serve` page in a real headless Chromium (steps 2-7 of
scripts/serve-browser-test.sh; the shell script starts the server and calls this).

Usage: check.py URL BIN FOLDER OUT WORK
  URL     the server's address, http://127.0.0.1:PORT/
  BIN     the jeugdstroom binary (for `validate` on the saved scenario)
  FOLDER  the temp folder holding the served scenario (where save writes)
  OUT     where serve.png and the logs go
  WORK    scratch space (Chromium profile and HOME)
Exits 0 when every check passed, 1 with "serve-browser-test: FAIL: ..." lines otherwise.
"""
import base64
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CdpError, Chromium  # noqa: E402

LEVER = "arrivals.rate_per_1000.mean"
RUN_TIMEOUT = 120          # one 20-replication run (variant, base and no-plan) on a slow 2-core machine
REQUIRED_TIMEOUT = 240     # one search of POST /api/required (up to ~40 runs of 20 replications)
failures = []


def fail(msg):
    failures.append(msg)
    print(f"serve-browser-test: FAIL: {msg}", file=sys.stderr, flush=True)


def step(msg):
    print(f"== {msg}", flush=True)


def post_json(url, body, timeout=RUN_TIMEOUT):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)


def status(b):
    return b.evaluate("(() => { const s = document.getElementById('status');"
                      " return s && {state: s.dataset.state, run: Number(s.dataset.run),"
                      " replications: Number(s.dataset.replications), text: s.textContent.trim()}; })()")


def wait_done(b, after_run, what):
    """Waits for a run newer than `after_run` to finish; fails early on an error state."""
    t0 = time.time()
    expr = (f"(() => {{ const s = document.getElementById('status'); if (!s) return null;"
            f" const r = Number(s.dataset.run); if (r <= {after_run}) return null;"
            f" if (['done', 'error'].includes(s.dataset.state)) return s.dataset.state; return null; }})()")
    state = b.wait_for(expr, what, RUN_TIMEOUT)
    st = status(b)
    if state != "done":
        err = b.evaluate("document.getElementById('error').textContent")
        raise CdpError(f"{what}: #status data-state={state} ({err!r})")
    print(f"   done in {time.time() - t0:.1f} s: {st['text']}", flush=True)
    return st


def snapshot(b):
    return b.evaluate("(() => { const h = document.getElementById('headline-p');"
                      " const m = document.getElementById('fan-median');"
                      " return {p: h && h.dataset.value, text: document.getElementById('headline').textContent,"
                      " d: m && m.getAttribute('d')}; })()")


def main():
    # `timeout` in the shell script sends SIGTERM: leave through `finally` so Chromium is closed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    url, binary, folder, out, work = sys.argv[1:6]
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/"
    update = os.environ.get("UPDATE_SCREENSHOT") == "1"
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)

    # 2. Chromium, one page target; Network, Page, Runtime and Log on for the whole test.
    step("headless chromium (CDP)")
    netlog = os.path.join(out, "netlog.json")
    b = Chromium(os.path.join(work, "profile"), home, netlog=netlog)
    try:
        for method in ("Network.enable", "Page.enable", "Runtime.enable", "Log.enable"):
            b.page(method)
        b.page("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=False, flatten=True)
        b.page("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        run_steps(b, url, binary, folder, out, update)
    except CdpError as e:
        fail(str(e))
    finally:
        events = [(s, m, p) for s, m, p in b.events if s in b.sessions]
        with open(os.path.join(out, "cdp-events.json"), "w") as f:
            json.dump([{"session": s, "method": m, "params": p} for s, m, p in events
                       if m.startswith(("Network.requestWillBeSent", "Log.", "Runtime.exception", "Runtime.console"))],
                      f, indent=1)
        b.close()
    check_network(events, origin)
    check_netlog(netlog, origin)
    check_console(events)
    if failures:
        print(f"serve-browser-test: {len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)


def run_steps(b, url, binary, folder, out, update):
    # 3. The page loads the scenario and streams the base run.
    step(f"open {url}")
    b.page("Page.navigate", url=url)
    first = wait_done(b, 0, "the base run (#status data-state=done)")
    before = snapshot(b)
    print(f"   headline: {before['text']}", flush=True)
    if first["replications"] != 20:
        fail(f"#status data-replications={first['replications']} after the base run (served with --replications 20)")
    if not before["p"] or not before["d"]:
        fail(f"after the base run #headline-p data-value={before['p']!r} and #fan-median d={before['d']!r}")
        return
    p0 = float(before["p"])
    if not 0 <= p0 <= 1:
        fail(f"#headline-p data-value={p0} is not a probability")
    lang = b.evaluate("document.documentElement.lang")
    if lang != "nl":
        fail(f"served with --lang nl but <html lang={lang!r}>")
    text = " ".join(before["text"].replace("\u00a0", " ").split())
    if "Kans dat de kosten" not in text or f"{round(p0 * 100)} %" not in text:
        fail(f"the headline is not the Dutch sentence with P as '{round(p0 * 100)} %': {text!r}")
    # The parties table: one row per party of the scenario, the region's selected.
    parties = json.loads(urllib.request.urlopen(url + "api/scenario", timeout=30).read())["parties"]
    rows = b.evaluate("[...document.querySelectorAll('#parties tbody tr')].map(r => [r.dataset.party, r.className])")
    if [r[0] for r in rows] != [p["name"] for p in parties]:
        fail(f"the parties table lists {[r[0] for r in rows]}, the scenario has {[p['name'] for p in parties]}")
    elif "selected" not in rows[[p["kind"] for p in parties].index("region")][1]:
        fail("the region's row of the parties table is not the selected one")
    if not b.evaluate("!!document.getElementById('fan-lumpsum') && !!document.getElementById('fan-base-lumpsum')"):
        fail("the fan chart lacks the lumpsum (#fan-lumpsum) or the base's dashed lumpsum (#fan-base-lumpsum)")

    # "Wat moet er veranderen?" on the base: the region in the first year, the tariff, P to 50 %.
    check_required(b, url, before)

    # 4. One lever to 70 %: typed like a person (input + change events), the page re-runs.
    step(f"set {LEVER} to 70 % of its value")
    # Watch the count while the run streams (the fan fills as replications finish).
    b.evaluate("""(() => { window.__seen = []; new MutationObserver(() => {
        const s = document.getElementById('status');
        if (s.dataset.state === 'running') window.__seen.push(Number(s.dataset.replications)); })
        .observe(document.getElementById('status'), {attributes: true}); })()""")
    changed = b.evaluate(f"""(() => {{
        const i = document.querySelector('input[data-path="{LEVER}"]');
        if (!i) return null;
        const v = Number((Number(i.value) * 0.7).toPrecision(6));
        i.value = String(v);
        i.dispatchEvent(new Event('input', {{bubbles: true}}));
        i.dispatchEvent(new Event('change', {{bubbles: true}}));
        return v; }})()""")
    if changed is None:
        raise CdpError(f'no <input data-path="{LEVER}"> on the page')
    wait_done(b, first["run"], "the run after the lever change")
    after = snapshot(b)
    print(f"   headline: {after['text']}", flush=True)
    seen = sorted({k for k in b.evaluate("window.__seen") if k > 0})
    print(f"   progress shown while running: {', '.join(map(str, seen)) or 'none (the run finished between two events)'} / 20", flush=True)
    if after["d"] == before["d"]:
        fail("#fan-median d did not change after the lever change")
    # The contract moves the lumpsum with the cost: the variant's and the base's differ now,
    # the base's drawn dashed and named in the legend.
    lump = b.evaluate("(() => { const v = document.getElementById('fan-lumpsum'), w = document.getElementById('fan-base-lumpsum');"
                      " return {v: v && v.getAttribute('d'), b: w && w.getAttribute('d'), dash: w && w.getAttribute('stroke-dasharray'),"
                      " legend: document.getElementById('fan-legend').textContent}; })()")
    if not lump["v"] or not lump["b"] or lump["v"] == lump["b"] or not lump["dash"]:
        fail(f"after the lever change the fan does not show the variant's lumpsum beside the base's dashed one: {lump}")
    if "Lumpsum basis" not in lump["legend"]:
        fail(f"the fan's legend does not name the base's lumpsum: {lump['legend']!r}")
    if "verschil" not in after["text"] or "interval" not in after["text"]:
        fail(f"with a lever changed the headline lacks the difference with its interval: {after['text']!r}")
    # The page shows the server's numbers: ask the API itself (plain JSON, same overrides
    # and replications; common random numbers make it the same run) and compare at full
    # precision. Not "P must fall": under the contract's downward adjustment fewer
    # arrivals also lower the lumpsum, and P(overrun) in 2037 need not fall.
    api = post_json(url + "api/run", {"overrides": {LEVER: changed}, "replications": first["replications"]})
    region = next(p for p in api["parties"] if p["kind"] == "region")
    want_p, want_base = region["p_overrun"][-1], region["base"]["p_overrun"][-1]
    if after["p"] is None or abs(float(after["p"]) - want_p) > 1e-12:
        fail(f"#headline-p data-value={after['p']} but the API's region P(overrun) in {api['years'][-1]} is {want_p}")
    if abs(p0 - want_base) > 1e-12:
        fail(f"the first base run showed P={p0} but the API's base P(overrun) is {want_base}")
    # P(overrun) on the page changes with the lever: the headline's (the last year) and the
    # per-year P of the region (drawn as the bars) differ from the base's.
    if after["p"] == before["p"]:
        fail(f"the headline's P(overrun) stayed {before['p']} after the lever change")
    if region["p_overrun"] == region["base"]["p_overrun"]:
        fail(f"no year's P(overrun) changed with the lever: {region['p_overrun']}")
    fell = all(v < b for v, b in zip(region["cost"]["mean"], region["base"]["cost"]["mean"]))
    if not fell:
        fail(f"70 % of the arrivals did not lower the region's mean cost in every year: {region['diff']['cost_mean']}")
    print(f"   region {api['years'][-1]}: P {p0} -> {after['p']} (API {want_p}); mean cost "
          f"{region['diff']['cost_mean'][-1] / 1e6:+.1f} M EUR against the base", flush=True)

    # 6. The screenshot (the variant against the base is what a reader should see).
    step("screenshot 1280x900")
    shot = b.page("Page.captureScreenshot", format="png")
    png = base64.b64decode(shot["data"])
    path = os.path.join(out, "serve.png")
    with open(path, "wb") as f:
        f.write(png)
    width = int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else None
    if width != 1280 or len(png) < 30_000:
        fail(f"{path}: {len(png)} bytes, width {width}: not a rendered 1280 px page")
    if update:
        docs = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs", "serve.png")
        with open(docs, "wb") as f:
            f.write(png)
        print(f"   UPDATE_SCREENSHOT=1: wrote {docs}", flush=True)

    # 5. Save as scenario: the file is beside the base, extends it and validates.
    step("save as scenario tafel-variant")
    b.evaluate("""(() => { const n = document.getElementById('save-name'); n.value = 'tafel-variant';
        n.dispatchEvent(new Event('input', {bubbles: true}));
        document.getElementById('save').click(); })()""")
    saved = b.wait_for("(document.getElementById('saved-path') || {}).textContent || "
                       "(!document.getElementById('save-error').hidden && "
                       "'ERROR ' + document.getElementById('save-error').textContent)", "#saved-path", 60)
    if saved.startswith("ERROR "):
        raise CdpError(f"save failed: {saved[6:]}")
    expected = os.path.join(folder, "tafel-variant.toml")
    print(f"   #saved-path: {saved}", flush=True)
    if os.path.realpath(saved) != os.path.realpath(expected):
        fail(f"#saved-path is {saved!r}, expected {expected!r}")
    if not os.path.isfile(expected):
        fail(f"{expected} was not written")
    else:
        text = open(expected, encoding="utf-8").read()
        if "extends" not in text or "amsterdam-duo" not in text:
            fail(f"{expected} does not extend the base scenario:\n{text}")
        if LEVER.split(".")[0] not in text:
            fail(f"{expected} does not mention the changed lever {LEVER}:\n{text}")
        v = subprocess.run([binary, "validate", expected], capture_output=True, text=True, timeout=120)
        if v.returncode != 0:
            fail(f"jeugdstroom validate {expected} exited {v.returncode}: {v.stderr.strip()[-500:]}")
        else:
            print(f"   jeugdstroom validate: exit 0", flush=True)

    # Saving again under the same name: refused (409), said beside the button, file kept.
    before_text = open(expected, encoding="utf-8").read() if os.path.isfile(expected) else None
    b.evaluate("document.getElementById('save').click()")
    again = b.wait_for("!document.getElementById('save-error').hidden && "
                       "document.getElementById('save-error').textContent", "#save-error on a second save", 60)
    print(f"   second save: {again}", flush=True)
    if before_text is not None and open(expected, encoding="utf-8").read() != before_text:
        fail(f"a second save under the same name changed {expected}")

    # Export: the full `run` with the report, in out/serve/ of the server's folder.
    step("export (full run with report)")
    run = status(b)["run"]
    b.evaluate("document.getElementById('export').click()")
    folder_out = b.wait_for("(document.getElementById('exported') || {}).textContent || "
                            "(!document.getElementById('export-error').hidden && "
                            "'ERROR ' + document.getElementById('export-error').textContent)", "#exported", RUN_TIMEOUT)
    if folder_out.startswith("ERROR "):
        raise CdpError(f"export failed: {folder_out[6:]}")
    report = b.evaluate("document.getElementById('exported-report').textContent")
    print(f"   #exported: {folder_out}", flush=True)
    if not os.path.realpath(folder_out).startswith(os.path.realpath(folder) + os.sep):
        fail(f"#exported {folder_out!r} is not below the server's folder {folder!r}")
    if not os.path.isfile(report) or os.path.getsize(report) < 10_000:
        fail(f"the exported report {report!r} is missing or nearly empty")
    if status(b)["run"] != run:   # the export cancelled nothing (the page was idle): no new run
        wait_done(b, run, "the run the page restarted after the export")

    # A search under way is dropped when a lever changes (AbortController; the server cancels
    # it as the next run starts): start one, and change the lever once it has made a step.
    step("a search under way, then a lever changes: the search is cancelled")
    b.evaluate("document.getElementById('required-run').click()")
    b.wait_for("(() => { const a = document.getElementById('required-answer');"
               " return a.dataset.status === 'running' && /stap [1-9]/.test(a.textContent); })()",
               "#required-answer running with a step", RUN_TIMEOUT)

    # A bad value: a 400 answer shown in #error, then the page keeps working.
    step(f"a bad value (-5) for {LEVER}: the error is shown, the page recovers")
    run = status(b)["run"]
    b.evaluate(f"""(() => {{ const i = document.querySelector('input[data-path="{LEVER}"]');
        i.value = '-5'; i.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")
    err = b.wait_for(f"(() => {{ const s = document.getElementById('status'), e = document.getElementById('error');"
                     f" return Number(s.dataset.run) > {run} && s.dataset.state === 'error' &&"
                     f" e.classList.contains('visible') && e.textContent; }})()", "#error after a bad value", 60)
    print(f"   #error: {err}", flush=True)
    dropped = b.evaluate("(() => { const a = document.getElementById('required-answer');"
                         " return {status: a.dataset.status, text: a.textContent}; })()")
    print(f"   #required-answer: {dropped['status']}: {dropped['text']}", flush=True)
    if dropped["status"] != "cancelled":
        fail(f"the search under way was not cancelled by the lever change: #required-answer {dropped}")
    run = status(b)["run"]
    b.evaluate("document.getElementById('reset').click()")
    wait_done(b, run, "the run after Reset")
    if b.evaluate("document.getElementById('error').classList.contains('visible')"):
        fail("#error is still visible after a good run")
    back = snapshot(b)
    late = b.evaluate("document.getElementById('required-answer').dataset.status")
    if late != "cancelled":
        fail(f"the cancelled search still changed #required-answer (data-status={late!r})")
    if back["p"] != before["p"] or back["d"] != before["d"]:
        fail(f"after Reset the headline ({back['p']}) or the median differs from the first base run ({before['p']})")


def post_data(request):
    """A request's body from its Network event (`postData`, or the newer `postDataEntries`)."""
    if request.get("postData"):
        return request["postData"]
    entries = request.get("postDataEntries") or []
    return b"".join(base64.b64decode(e.get("bytes", "")) for e in entries).decode() or None


def check_required(b, url, before):
    """The headline's "Wat moet er veranderen?": tariff, region, first year, target 50 %.
    On the default the region's P(overrun) in 2028 is about 0.6, so a small tariff cut reaches
    50 %: the answer must be `found` with a finite, non-zero change."""
    scenario = json.loads(urllib.request.urlopen(url + "api/scenario", timeout=30).read())
    years = scenario["years"]
    region = next(p for p in scenario["parties"] if p["kind"] == "region")["name"]
    step(f"what would have to change: tariff, {region} {years[0]}, P(overrun) to 50 %")
    ok = b.evaluate(f"""(() => {{
        const set = (id, v, ev) => {{ const e = document.getElementById(id); if (!e) return id;
            e.value = v; e.dispatchEvent(new Event(ev, {{bubbles: true}})); return e.value === v ? '' : id + '=' + e.value; }};
        const a = document.getElementById('required-answer'), r = document.getElementById('required-run');
        if (!a || !r) return 'no #required-answer or #required-run';
        return set('party', {json.dumps(region)}, 'change') + set('year', '{years[0]}', 'change')
            + set('required-lever', 'tariff', 'change') + set('required-target', '50', 'input') || 'ok'; }})()""")
    if ok != "ok":
        raise CdpError(f"cannot set the required-change inputs: {ok}")
    p_first = b.evaluate("document.getElementById('headline-p').dataset.value")
    print(f"   headline P(overrun) {years[0]} {region}: {p_first}", flush=True)
    # Keep every progress line ("stap k: ...") the panel shows while the search runs.
    b.evaluate("""(() => { window.__req = []; const a = document.getElementById('required-answer');
        new MutationObserver(() => { if (a.dataset.status === 'running') window.__req.push(a.textContent); })
        .observe(a, {attributes: true, childList: true, subtree: true, characterData: true}); })()""")
    run = status(b)["run"]
    t0 = time.time()
    b.evaluate("document.getElementById('required-run').click()")
    ans = b.wait_for("(() => { const a = document.getElementById('required-answer'), s = a.dataset.status;"
                     " return ['found', 'already_met', 'unreachable', 'error', 'cancelled'].includes(s) &&"
                     " {status: s, change: a.dataset.change === undefined ? null : a.dataset.change, text: a.textContent}; })()",
                     "#required-answer data-status found|already_met|unreachable", REQUIRED_TIMEOUT, interval=0.5)
    steps = [t for t in dict.fromkeys(b.evaluate("window.__req")) if "stap" in t]
    text = " ".join(ans["text"].replace("\u00a0", " ").split())
    print(f"   {ans['status']} in {time.time() - t0:.1f} s after {len(steps)} step(s) shown; data-change={ans['change']}", flush=True)
    print(f"   {text}", flush=True)
    if steps:
        print(f"   last progress: {' '.join(steps[-1].replace(chr(160), ' ').split())}", flush=True)
    change = None
    try:
        change = float(ans["change"]) if ans["change"] is not None else None
    except ValueError:
        pass
    if ans["status"] != "found":
        fail(f"the required change of the tariff for P {years[0]} {region} = 50 % is {ans['status']!r}, "
             f"expected 'found' (P is about 0.6 there): {text!r}")
    elif change is None or not math.isfinite(change) or change == 0:
        fail(f"#required-answer data-change={ans['change']!r} is not a finite non-zero fraction")
    else:
        want = ["Tarieven", str(years[0]), "50 %", "interval", "bevestigd"]
        missing = [w for w in want if w not in text]
        if missing:
            fail(f"the answer sentence lacks {missing}: {text!r}")
        shown = f"{abs(change) * 100:.1f}".replace(".", ",")
        if shown not in text:
            fail(f"the answer sentence does not give the change {change} as {shown} %: {text!r}")
    if not steps:
        fail("no progress ('stap k: ...') was shown while the search ran")
    # What the page sent: the selected party and year, the lever, the target, no overrides.
    sent = [json.loads(post_data(p["request"]) or "null") for s, m, p in b.events
            if m == "Network.requestWillBeSent" and p["request"]["url"].endswith("/api/required")]
    want_body = {"lever": "tariff", "year": years[0], "scope": "region", "target": 0.5, "overrides": {}}
    if not sent or not sent[-1] or any(sent[-1].get(k) != v for k, v in want_body.items()):
        fail(f"POST /api/required was sent {sent[-1] if sent else 'never'}; expected it to hold {want_body}")
    if status(b)["run"] != run or status(b)["state"] != "done":
        fail(f"the search disturbed the finished run: #status {status(b)}")
    # Back to the last year (the checks below compare the headline there).
    b.evaluate(f"""(() => {{ const y = document.getElementById('year'); y.value = '{years[-1]}';
        y.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")
    if snapshot(b)["p"] != before["p"]:
        fail(f"back in {years[-1]} the headline shows {snapshot(b)['p']}, before the search {before['p']}")


def check_network(events, origin):
    """7. Every request of the page: the server's origin, data:, blob: or about:."""
    urls = []
    for sid, method, p in events:
        if method == "Network.requestWillBeSent":
            urls.append(p["request"]["url"])
        elif method == "Network.webSocketCreated":
            urls.append(p["url"])
    bad = sorted({u for u in urls if not (u.startswith(origin) or u.split(":", 1)[0] in ("data", "blob", "about"))})
    for u in bad:
        fail(f"the page requested {u} (only {origin}..., data:, blob: and about: are allowed)")
    local = sorted({urlsplit(u).path for u in urls if u.startswith(origin)})
    print(f"network: {len(urls)} requests by the page, all local ({', '.join(local)})" if not bad else
          f"network: {len(bad)} foreign URL(s)", flush=True)
    if not any(u.startswith(origin + "api/run") for u in urls):
        fail("the network log has no POST /api/run: was it recorded?")


# Traffic annotations of a page's loads (blink_resource_loader, navigation_url_loader).
PAGE_ANNOTATIONS = {101845102, 63171670}


def check_netlog(path, origin):
    """The browser-wide net log as a second witness: a non-local request whose initiator
    is the page's origin, or that carries a page-load annotation, is the page's: FAIL.
    Chromium's own (initiator "not an origin", e.g. component updater, account list) are
    listed as a note: Chromium 156 makes them whatever page it shows."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
        try:
            d = json.loads(text)
        except ValueError:  # a log cut short at exit lacks its closing "]}"
            d = json.loads(text.rstrip().rstrip(",") + "]}")
        src = {v: k for k, v in d["constants"]["logSourceType"].items()}
        events = d["events"]
    except (OSError, ValueError, KeyError) as e:
        fail(f"{path}: unreadable net log ({e})")
        return
    reqs = {}
    for e in events:
        if src.get(e["source"]["type"]) != "URL_REQUEST":
            continue
        r = reqs.setdefault(e["source"]["id"], {})
        for k in ("url", "initiator", "traffic_annotation"):
            if k in (e.get("params") or {}):
                r.setdefault(k, e["params"][k])
    own = set()
    page_origin = origin.rstrip("/")
    for r in reqs.values():
        u = r.get("url", "")
        if u.startswith(origin) or u.split(":", 1)[0] in ("data", "blob", "about", "chrome", "chrome-extension"):
            continue
        if r.get("initiator") == page_origin or r.get("traffic_annotation") in PAGE_ANNOTATIONS:
            fail(f"net log: the page requested {u} (initiator {r.get('initiator')!r})")
        else:
            own.add(urlsplit(u).hostname)
    if own:
        print("note: ignored the requests Chromium makes on its own (initiator 'not an origin', "
              "not the page's), to: " + ", ".join(sorted(h or "?" for h in own)), flush=True)


def check_console(events):
    # Two answers are errors on purpose (the bad value's 400 from /api/run, the second
    # save's 409); Chromium logs such a load as a console error: those two are expected.
    expected = {("/api/run", "status of 400"), ("/api/save", "status of 409")}
    for sid, method, p in events:
        if method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            fail(f"uncaught exception: {d.get('exception', {}).get('description') or d.get('text')}")
        elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            fail("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            e = p["entry"]
            if e.get("source") == "network" and any(
                    urlsplit(e.get("url", "")).path == path and status in e.get("text", "") for path, status in expected):
                continue
            fail(f"console error ({e.get('source')}): {e.get('text')} {e.get('url', '')}")


if __name__ == "__main__":
    main()
