#!/usr/bin/env bash
# The `jeugdstroom serve` what-if page as a negotiator uses it, in a real
# headless Chromium driven over the DevTools protocol.
#
# Copies scenarios/amsterdam-duo.toml into a fresh temp folder and serves it
# (`serve TMP/amsterdam-duo.toml --port 0 --lang nl --replications 20`, port
# read from the first stdout line). Then scripts/serve-browser/check.py opens
# http://127.0.0.1:PORT/ in Debian's Chromium (fresh profile, Network, Page,
# Runtime and Log events of the page's session recorded) and fails (exit 1,
# "serve-browser-test: FAIL: ...") unless
#   - the base run streams to the end: #status data-state=done with
#     data-replications=20, #headline-p has a probability in data-value, the
#     fan chart has a #fan-median path, the headline is the Dutch sentence
#     with P as "95 %", the parties table has one row per party of the
#     scenario (the region's selected); the fan draws the lumpsum and the
#     base's lumpsum (dashed, #fan-base-lumpsum);
#   - "Wat moet er veranderen?" on the base: party region, year 2028 (the
#     first), lever tariff, target 50 %, #required-run clicked: the panel
#     shows "stap k" progress, then #required-answer data-status=found with a
#     finite non-zero data-change (the region's P in 2028 is about 0.6, so a
#     small tariff cut reaches 50 %) and a sentence with the change, its
#     interval and the confirmed P; the page posted exactly that question to
#     POST /api/required, and the finished run was left alone;
#   - setting arrivals.rate_per_1000.mean to 70 % of its value (input and
#     change events, as typing does) starts a new run: the median path
#     differs, the variant's lumpsum differs from the base's dashed one
#     (named in the legend), the headline gives the difference with its interval, and its
#     data-value is, to full precision, the P(overrun) that POST /api/run
#     answers for that override (whose region mean cost is lower every year).
#     P(overrun) changes (the headline's and some year's). Not "P falls":
#     under the contract's downward adjustment fewer arrivals lower the
#     lumpsum as well, and P in 2037 need not fall;
#   - "Save as scenario" with the name tafel-variant writes
#     TMP/tafel-variant.toml, shows its absolute path in #saved-path, the file
#     extends the base and `jeugdstroom validate` accepts it; saving again
#     under that name is refused in #save-error and leaves the file as it was;
#   - Export shows the folder (below TMP/out/serve/) in #exported and its
#     report.html exists;
#   - a search started on the variant and still under way is cancelled
#     (#required-answer data-status=cancelled) by the next lever change, and
#     stays so;
#   - a bad lever value (-5) shows the server's 400 error in #error, and Reset
#     brings back exactly the first base result;
#   - every request the page made (its session's Network events) is to
#     http://127.0.0.1:PORT/, data:, blob: or about:, and there was no uncaught
#     exception or console error (the one deliberate 400 aside).
# A 1280x900 screenshot of the variant (a changed lever, the headline with
# the required-change answer, the fan chart) is written to out/ci-serve/serve.png;
# with UPDATE_SCREENSHOT=1 it also replaces docs/serve.png (README shows it).
#
# Why CDP rather than `chromium --screenshot`: the page is live (it streams
# results and reacts to input), so the test has to wait for states and type.
# Chromium makes requests of its own (component updater, ...); the flags in
# serve-browser/cdp.py switch most off, and the rest never appear in the page
# session's Network events, which are the ones checked.
#
# Usage (root on Debian 12, from anywhere): scripts/serve-browser-test.sh
# Installs chromium, python3, python3-venv and fonts with apt-get when missing,
# and websocket-client into a venv under the target dir. Builds the release
# binary only if it is missing. Honours CARGO_TARGET_DIR.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

fail() {
    echo "serve-browser-test: FAIL: $*" >&2
    exit 1
}

# --- 1. what the test needs --------------------------------------------------
. "$root/scripts/lib/browser-deps.sh"
install_browser_deps "python3-venv:python3 -c 'import ensurepip, venv'"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/serve-browser-venv"
if ! "$venv/bin/python" -c 'import websocket' >/dev/null 2>&1; then
    echo "== python3 -m venv $venv; pip install websocket-client"
    rm -rf "$venv"
    python3 -m venv "$venv" || fail "python3 -m venv $venv failed"
    "$venv/bin/pip" install -q websocket-client || fail "pip install websocket-client failed"
fi

bin="$target_dir/release/jeugdstroom"
if [ ! -x "$bin" ]; then
    echo "== cargo build --release"
    cargo build --release
fi
"$bin" serve --help >/dev/null 2>&1 || fail "$bin has no 'serve' subcommand (rebuild: cargo build --release)"

# --- 2. the server -------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/serve-browser-test.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
folder="$work/scenario"
mkdir -p "$folder" "$work/chromium"
cp scenarios/amsterdam-duo.toml "$folder/"
out="$root/out/ci-serve"
rm -rf "$out"
mkdir -p "$out"

echo "== jeugdstroom serve amsterdam-duo.toml --port 0 --lang nl --replications 20"
# Run from the temp folder: an export would write out/serve/ there, not in the repo.
(cd "$folder" && exec "$bin" serve "$folder/amsterdam-duo.toml" --port 0 --lang nl --replications 20) \
    >"$work/server.stdout" 2>"$work/server.stderr" &
server_pid=$!
url=
for _ in $(seq 1 600); do   # up to 60 s: loading and checking the scenario comes first
    url=$(sed -n '1s|^listening on \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$work/server.stdout")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$work/server.stderr" >&2; fail "jeugdstroom serve exited before listening"; }
    sleep 0.1
done
[ -n "$url" ] || { tail -n 20 "$work/server.stderr" >&2; fail "jeugdstroom serve printed no 'listening on http://127.0.0.1:PORT/' within 60 s (got: $(head -c 200 "$work/server.stdout"))"; }
echo "== $url ($(chromium --version 2>/dev/null | head -n 1))"

# --- 3. the page in Chromium ----------------------------------------------------
rc=0
# Budget: the base run, one search (20-60 s), the variant, save, export, recovery.
PYTHONDONTWRITEBYTECODE=1 timeout -k 10 280 "$venv/bin/python" "$root/scripts/serve-browser/check.py" \
    "$url" "$bin" "$folder" "$out" "$work/chromium" || rc=$?
cp "$work/server.stderr" "$out/server.stderr" 2>/dev/null || true
[ "$rc" = 124 ] && fail "the browser checks did not finish within 280 s"
[ "$rc" = 0 ] || fail "the page failed in Chromium (see above; logs in ${out#"$root/"})"
echo "artefacts in ${out#"$root/"}: serve.png, cdp-events.json, server.stderr"
echo "time: $(($(date +%s) - started)) s"
echo "serve page checked in headless Chromium: OK"
