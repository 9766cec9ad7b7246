#!/usr/bin/env bash
# The HTML report as a person sees it, in a real headless Chromium.
#
# Runs the default scenario with `--report --lang nl` into out/ci-report, then
# opens out/ci-report/report.html in Debian's Chromium three times (fresh
# profile each time, net log on): a 1280x1800 screenshot (report.png, the
# artefact a reviewer looks at), a PDF print (report.pdf) and a dump of the
# rendered DOM (report.dom.html). It fails (exit 1) unless
#   - the PNG is a PNG 1280 px wide and the PDF is a PDF larger than 20 KB;
#   - the DOM has every section, the charts fan-cost, bars-overrun,
#     stack-clients and waterfall-growth each with an inline <svg>, at least
#     5 <svg> in all, and no <script, <link or src="http;
#   - every region row of feasibility.csv has exactly one headline <li> whose
#     data-p-overrun and data-median-gap-eur match the CSV and whose visible
#     sentence holds the percentage and the € millions formatted from the CSV;
#   - the net logs show no request made by the report: every URL is file:,
#     data:, about:, chrome: or chrome-extension:, or one that Chromium
#     requests on its own (initiator "not an origin", not a page-load traffic
#     annotation: component/extension updater, network time, spelling
#     dictionary, account list), and every DNS look-up, socket and HTTP job is
#     for the host of such a request. Chromium 156 makes those requests even
#     with --disable-background-networking, whatever page it opens; they are
#     listed as a note, not a failure. Any request from the page fails.
#
# Usage (root on Debian 12, from anywhere; paths are relative to the repo):
#   scripts/report-browser-test.sh            # default scenario -> out/ci-report
#   scripts/report-browser-test.sh DIR        # check an existing result folder
#                                             # (report.html + feasibility.csv)
# Installs chromium, python3 and fonts with apt-get when missing. Builds the
# release binary only if it is missing. Honours CARGO_TARGET_DIR.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

fail() {
    echo "report-browser-test: FAIL: $*" >&2
    exit 1
}

# --- 1. what the test needs --------------------------------------------------
. "$root/scripts/lib/browser-deps.sh"
install_browser_deps

# --- 2. the report --------------------------------------------------------------
if [ $# -ge 1 ]; then
    out="$(cd "$1" && pwd)"
    echo "== checking the existing result folder $out"
else
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
    bin="$target_dir/release/jeugdstroom"
    if [ ! -x "$bin" ]; then
        echo "== cargo build --release"
        cargo build --release
    fi
    out="$root/out/ci-report"
    rm -rf "$out"
    mkdir -p "$root/out"
    echo "== jeugdstroom run --replications 50 --quiet --report --lang nl --out out/ci-report"
    "$bin" run --replications 50 --quiet --report --lang nl --out "$out" >/dev/null
fi
for f in report.html feasibility.csv; do
    [ -s "$out/$f" ] || fail "$out/$f is missing or empty"
done
rm -f "$out/report.png" "$out/report.pdf" "$out/report.dom.html" "$out"/netlog-*.json

# --- 3. Chromium ----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/report-browser-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Chromium (and Debian's launcher script) write below $HOME: give them their own.
mkdir -p "$work/home"
url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).as_uri())' "$out/report.html")

# --no-pdf-header-footer replaced --print-to-pdf-no-header in Chromium 111;
# switch names are stored as plain strings in the executable.
exe=/usr/lib/chromium/chromium
[ -x "$exe" ] || exe=$(readlink -f "$(command -v chromium)")
if grep -aqF 'no-pdf-header-footer' "$exe"; then
    no_header=--no-pdf-header-footer
else
    no_header=--print-to-pdf-no-header
fi
echo "== $(chromium --version 2>/dev/null | head -n 1) ($no_header)"

# browse NAME ARGS...: one headless Chromium, fresh profile, net log
# out/ci-report/netlog-NAME.json, stdout to $work/NAME.stdout.
browse() {
    local name=$1
    shift
    local profile rc=0
    profile=$(mktemp -d "$work/profile.XXXXXX")
    echo "== chromium --headless ... $*"
    HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache" \
        timeout -k 10 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --user-data-dir="$profile" --log-net-log="$out/netlog-$name.json" "$@" \
        >"$work/$name.stdout" 2>"$work/$name.stderr" || rc=$?
    if [ "$rc" != 0 ]; then
        grep -v -e 'dbus' -e 'unexpected operator' "$work/$name.stderr" | tail -n 20 >&2 || true
        [ "$rc" = 124 ] && fail "chromium ($name) did not finish within 120 s"
        fail "chromium ($name) exited with status $rc"
    fi
}
browse screenshot --screenshot="$out/report.png" --window-size=1280,1800 --hide-scrollbars "$url"
browse pdf --print-to-pdf="$out/report.pdf" "$no_header" "$url"
browse dom --dump-dom "$url"
mv "$work/dom.stdout" "$out/report.dom.html"

# --- 4. checks ------------------------------------------------------------------
python3 - "$out" <<'PY'
import csv, json, re, struct, sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

out = Path(sys.argv[1])
failures = []
def fail(msg):
    failures.append(msg)
    print(f"FAIL: {msg}", file=sys.stderr)

# PNG: signature, IHDR width.
png = out / "report.png"
png_w = png_h = None
if not png.exists():
    fail(f"{png} was not written")
else:
    head = png.read_bytes()[:33]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail(f"{png} is not a PNG (starts {head[:16]!r})")
    else:
        png_w, png_h = struct.unpack(">II", head[16:24])
        if png_w != 1280:
            fail(f"{png} is {png_w} px wide, not 1280")
        # A blank 1280x1800 page compresses to a few KB.
        if png.stat().st_size < 30_000:
            fail(f"{png} is only {png.stat().st_size} bytes: nothing rendered?")

# PDF: signature, size, pages.
pdf = out / "report.pdf"
pdf_pages = None
if not pdf.exists():
    fail(f"{pdf} was not written")
else:
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF"):
        fail(f"{pdf} does not start with %PDF")
    if len(data) <= 20 * 1024:
        fail(f"{pdf} is only {len(data)} bytes (expected > 20 KB)")
    pdf_pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))

# The rendered DOM.
dom_path = out / "report.dom.html"
dom = dom_path.read_text(encoding="utf-8", errors="replace")
if "<body" not in dom:
    fail(f"{dom_path}: Chromium dumped no document")

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.sections = []
        self.section = None
        self.figures = {}          # id -> number of <svg> inside
        self.figure = None
        self.svg_tags = 0
        self.items = []            # (section, attrs, text) of <li data-year>
        self.item = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "section":
            self.section = a.get("id")
            self.sections.append(self.section)
        elif tag == "figure":
            self.figure = a.get("id")
            self.figures.setdefault(self.figure, 0)
        elif tag == "svg":
            self.svg_tags += 1
            if self.figure is not None:
                self.figures[self.figure] += 1
        elif tag == "li" and "data-year" in a:
            self.item = (self.section, a, [])
    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        elif tag == "figure":
            self.figure = None
        elif tag == "li" and self.item is not None:
            self.items.append(self.item)
            self.item = None
    def handle_data(self, data):
        if self.item is not None:
            self.item[2].append(data)

p = Dom()
p.feed(dom)
p.close()

for sid in ["headline", "feasibility", "growth", "flows", "waiting", "capacity", "assumptions", "provenance"]:
    n = p.sections.count(sid)
    if n != 1:
        fail(f'DOM: <section id="{sid}"> found {n} times (expected once)')
for fid in ["fan-cost", "bars-overrun", "stack-clients", "waterfall-growth"]:
    if fid not in p.figures:
        fail(f'DOM: <figure id="{fid}"> is missing')
    elif p.figures[fid] < 1:
        fail(f'DOM: <figure id="{fid}"> holds no <svg>')
svg_count = len(re.findall(r"<svg[\s>]", dom, re.I))
if svg_count < 5:
    fail(f"DOM: only {svg_count} <svg> (expected at least 5)")
charts = sorted(f for f, n in p.figures.items() if n > 0)
for bad in ["<script", "<link", 'src="http']:
    if bad in dom.lower():
        fail(f"DOM contains {bad!r}: the report must be self-contained")

# Headline sentences against feasibility.csv.
lang = (p.lang or "en").lower()
def number(v, decimals):
    text = f"{abs(v):,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
def percent(share):
    return f"{number(share * 100, 0)} %" if lang == "nl" else f"{number(share * 100, 0)}%"
def millions(eur):
    return f"€ {number(eur / 1e6, 1)} mln" if lang == "nl" else f"€{number(eur / 1e6, 1)}M"
def words(gap):
    if lang == "nl":
        return "mediaan tekort" if gap > 0 else "mediaan overschot"
    return "median shortfall" if gap > 0 else "median surplus"
def contains(text, piece):  # piece not glued to further digits ("100 %" is not "0 %")
    return re.search(r"(?<![\d.,])" + re.escape(piece) + r"(?![\d])", text) is not None
def norm(text):
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())

with open(out / "feasibility.csv", newline="", encoding="utf-8") as f:
    region = [r for r in csv.DictReader(f) if r["scope"] == "region"]
if not region:
    fail("feasibility.csv has no region rows")
by_year = {}
for section, attrs, text in p.items:
    by_year.setdefault(attrs["data-year"], []).append((section, attrs, norm("".join(text))))
csv_years = {r["year"] for r in region}
for year in sorted(set(by_year) - csv_years):
    fail(f'DOM: <li data-year="{year}"> but feasibility.csv has no region row for {year}')
checked = 0
for r in region:
    year = r["year"]
    found = by_year.get(year, [])
    if len(found) != 1:
        fail(f'DOM: {len(found)} <li data-year="{year}"> (expected exactly one)')
        continue
    section, attrs, text = found[0]
    if section != "headline":
        fail(f'DOM: <li data-year="{year}"> is outside section#headline')
    p_csv = float(r["p_overrun"])
    gap = float(r["cost_p50_eur"]) - float(r["lumpsum_eur"])
    try:
        p_dom = float(attrs.get("data-p-overrun"))
        gap_dom = float(attrs.get("data-median-gap-eur"))
    except (TypeError, ValueError):
        fail(f"{year}: data-p-overrun / data-median-gap-eur missing or not numbers: {attrs}")
        continue
    if abs(p_dom - p_csv) >= 1e-9:
        fail(f"{year}: data-p-overrun={p_dom} but feasibility.csv p_overrun={p_csv}")
    if abs(gap_dom - gap) >= 0.01:
        fail(f"{year}: data-median-gap-eur={gap_dom:.2f} but cost_p50_eur - lumpsum_eur = {gap:.2f}")
    want = [year, percent(p_csv), f"{words(gap)} {millions(abs(gap))}"]
    missing = [w for w in want if not contains(text, w)]
    if missing:
        fail(f"{year}: the sentence lacks {missing}: {text!r}")
    else:
        checked += 1

# Net logs: no request from the report.
LOCAL = {"file", "data", "about", "chrome", "chrome-extension"}
# A page's loads carry one of these traffic annotations (blink_resource_loader,
# navigation_url_loader) and its document's origin as initiator ("null" or
# "file://" for a file). Chromium's own requests (seen: network time,
# spelling dictionary, component/extension updater, account list) carry
# initiator "not an origin" and annotations of their own.
PAGE_ANNOTATIONS = {101845102, 63171670}
URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"]+")

def load_netlog(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:  # a log cut short at exit lacks its closing "]}"
        return json.loads(text.rstrip().rstrip(",") + "]}")

def host_of(value):
    m = URL_RE.search(value)
    if m:
        return (urlsplit(m.group(0)).hostname or "").lower()
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value

def is_local_host(h):
    return h in ("", "localhost") or h.startswith("127.") or h == "::1"

netlog_urls = set()
own_seen = {}
for nl in sorted(out.glob("netlog-*.json")):
    try:
        d = load_netlog(nl)
        et = {v: k for k, v in d["constants"]["logEventTypes"].items()}
        st = {v: k for k, v in d["constants"]["logSourceType"].items()}
        events = d["events"]
    except (ValueError, KeyError, TypeError) as e:
        fail(f"{nl.name}: unreadable net log ({e})")
        continue
    if not events:
        fail(f"{nl.name}: the net log has no events (was it written?)")
    # Per source: its type, URL-request facts, hosts it mentions.
    stype, urls, initiator, annotation, mentions, neighbours = {}, {}, {}, {}, {}, {}
    nameservers, udp_sent, log_urls = set(), set(), set()
    def walk(obj, sid):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "nameservers" and isinstance(v, list):
                    nameservers.update(str(x) for x in v)
                elif isinstance(v, str) and k in ("url", "location", "host", "hostname", "qname",
                                                   "destination", "group_id", "logical_destination"):
                    # A socket group id ends in its partition key, "<https://site ...>":
                    # a label, not a host contacted.
                    v = v.split(" <", 1)[0]
                    mentions.setdefault(sid, set()).add((k, v))
                    for u in URL_RE.findall(v) if k != "url" else [v]:
                        log_urls.add(u)
                elif isinstance(v, (dict, list)):
                    walk(v, sid)
        elif isinstance(obj, list):
            for v in obj:
                walk(v, sid)
    connects = []
    for e in events:
        sid = e["source"]["id"]
        stype[sid] = st.get(e["source"]["type"], "?")
        t = et.get(e["type"], "?")
        params = e.get("params") or {}
        walk(params, sid)
        dep = params.get("source_dependency")
        if isinstance(dep, dict) and "id" in dep:
            neighbours.setdefault(sid, set()).add(dep["id"])
            neighbours.setdefault(dep["id"], set()).add(sid)
        if stype[sid] == "URL_REQUEST":
            if "url" in params and sid not in urls:
                urls[sid] = params["url"]
            if "initiator" in params:
                initiator[sid] = params["initiator"]
            if "traffic_annotation" in params:
                annotation[sid] = params["traffic_annotation"]
        if t in ("UDP_BYTES_SENT", "SOCKET_BYTES_SENT") and "UDP" in stype[sid]:
            udp_sent.add(sid)
        if t in ("TCP_CONNECT", "TCP_CONNECT_ATTEMPT", "UDP_CONNECT", "SOCKET_CONNECT") and "address" in params:
            connects.append((sid, t, params["address"]))

    # URL requests: Chromium's own or the page's.
    own_hosts, page_urls = set(), set()
    for sid, u in urls.items():
        scheme = urlsplit(u).scheme.lower()
        if scheme in LOCAL:
            continue
        ini, ann = initiator.get(sid), annotation.get(sid)
        # (initiator None: the request never started, e.g. cut off at exit.)
        own = ann is not None and ann not in PAGE_ANNOTATIONS and ini in ("not an origin", None)
        if own:
            for k, v in mentions.get(sid, ()):
                own_hosts.add(host_of(v))
            own_seen.setdefault(host_of(u), set()).add(ann)
        else:
            page_urls.add(u)
            fail(f"{nl.name}: network request from the page: {u} (initiator {ini!r}, traffic annotation {ann})")
    def explained(h):
        return is_local_host(h) or any(h == o or h.startswith(o + ".") for o in own_hosts)
    # Every URL: a local scheme or a host of Chromium's own requests.
    netlog_urls.update(log_urls)
    for u in sorted(log_urls - page_urls):
        scheme = urlsplit(u).scheme.lower()
        if scheme not in LOCAL and not explained(host_of(u)):
            fail(f"{nl.name}: URL {u} is neither local nor one of Chromium's own requests")
    # DNS, HTTP stream and socket-pool events: only hosts of Chromium's own requests.
    bad_hosts = {}
    for sid, ms in mentions.items():
        for k, v in ms:
            h = host_of(v)
            if not explained(h):
                bad_hosts.setdefault(h, set()).add(stype.get(sid, "?"))
    for h, kinds in sorted(bad_hosts.items()):
        fail(f"{nl.name}: DNS/socket/HTTP activity for {h} ({', '.join(sorted(kinds))}) that no request of Chromium's own explains")
    # Sockets: the resolver, loopback, a UDP connect that sent nothing (the
    # IPv6 reachability probe), or a socket of one of Chromium's own requests.
    sent_to = {a for sid, t, a in connects if sid in udp_sent}
    for sid, t, addr in connects:
        h = host_of(addr)
        if is_local_host(h) or addr in nameservers:
            continue
        if "UDP" in stype.get(sid, "") and addr not in sent_to:
            continue
        hosts = {host_of(v) for n in {sid} | neighbours.get(sid, set()) for k, v in mentions.get(n, ())}
        if hosts and all(explained(x) for x in hosts):
            continue
        fail(f"{nl.name}: {t} to {addr} ({stype.get(sid)}) not explained by Chromium's own requests")

if own_seen:
    print("note: ignored the requests Chromium makes on its own (initiator 'not an origin'), "
          "not the report's, to: " + ", ".join(sorted(own_seen)))

if failures:
    print(f"report-browser-test: {len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print(f"PDF: {pdf_pages} pages, {pdf.stat().st_size / 1024:.0f} KB")
print(f"PNG: {png_w}x{png_h}, {png.stat().st_size / 1024:.0f} KB")
print(f"charts: {len(charts)} figures with inline SVG ({', '.join(charts)}); {svg_count} <svg> in all")
print(f"headline: {checked} sentences match feasibility.csv (lang {lang})")
print(f"net logs: no request from the report ({len(list(out.glob('netlog-*.json')))} logs)")
PY
echo "artefacts in ${out#"$root/"}: report.png, report.pdf, report.dom.html, netlog-*.json"
echo "time: $(($(date +%s) - started)) s"
echo "report checked in headless Chromium: OK"
