#!/usr/bin/env bash
# How fast the what-if page answers, measured the way a user waits for it:
# serves the default scenario (`serve --port 0`, embedded default), then over
# HTTP with Accept: text/event-stream
#   1. the base (no overrides): the first request of a session, which also
#      computes the base's counterfactual without the plan;
#   2. a what-if (arrivals.rate_per_1000.mean = 70) with the base kept:
#      what every lever change costs afterwards;
# each R replications (default 50). Prints, per request, the seconds from
# sending it to the first progress event (time to first result) and to the
# final `done` (time to R replications), and the progress counts on the way.
#
# The server computes the base in the background from its start (any
# request cancels that, keeping what is done); the requests are sent at once,
# so the base request's figures are those of a page opened right away.
# With WAIT=S the first request waits S seconds (a page opened later).
#
# Usage: scripts/serve-latency.sh [BIN] [R] [THREADS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$root/target}/release/jeugdstroom}"
reps="${2:-50}"
threads="${3:-}"
[ -x "$bin" ] || { echo "serve-latency: no binary at $bin (cargo build --release)" >&2; exit 1; }
dir="$(mktemp -d)"
log="$dir/serve.log"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
args=(serve --port 0 --replications "$reps" --max-replications "$reps")
[ -n "$threads" ] && args+=(--threads "$threads")
(cd "$dir" && exec "$bin" "${args[@]}") >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q listening "$log" 2>/dev/null && break; sleep 0.1; done
port="$(grep -o '[0-9]*/$' "$log" | tr -d /)"
[ -n "$port" ] || { cat "$log" >&2; exit 1; }
sleep "${WAIT:-0}"
python3 "$root/scripts/serve-latency/measure.py" "$port" "$reps"
