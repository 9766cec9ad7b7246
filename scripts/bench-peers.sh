#!/usr/bin/env bash
# The tool against the Python simulators researchers know (issue 15 item 1):
# the same M/M/10 queue — Poisson arrivals at 0.9 a day, exponential stays
# with mean 10 days, 10 places, an infinite FIFO waiting list
# (benches/mm10.toml) — in jeugdstroom, SimPy and Ciw, side by side in one
# run, one thread each.
#
# 1. Creates a throwaway virtual environment (removed on exit) and installs
#    SimPy and Ciw from PyPI (the versions below; if a pin does not install
#    on this Python, the newest that does, and says so).
# 2. Builds the release binary and the criterion bench.
# 3. Speed: criterion's `events_per_second/mm10` (one replication of
#    benches/mm10.toml, simulation only) and its bare-BinaryHeap floor; the
#    Python models (scripts/bench-peers/) time their simulation only.
#    Events are counted as 2 per client (arrival + departure) for all three.
# 4. Mean wait in queue: SimPy and Ciw by batch means over one long run; the
#    tool from `wait_days_mean` (region, care form bed) of independent runs.
#    Each must be within 4 standard errors of Erlang-C's 6.687 days.
# Prints a table, the ratios tool/SimPy and tool/Ciw, and PASS/FAIL; exits 1
# on FAIL. The load average is printed before and after: on a shared machine
# the absolute figures drift, the ratios of one run much less.
#
# Usage (from anywhere): scripts/bench-peers.sh
# Environment: CLIENTS (SimPy/Ciw clients, default 500000), WARMUP (clients
# discarded first, default 20000), TOOL_RUNS × TOOL_REPLICATIONS (the tool's
# wait runs, default 20 × 25), CARGO_TARGET_DIR (default ./target),
# NO_BUILD=1 (use the existing binary and bench), PYTHON (default python3).
set -euo pipefail

simpy_version=4.1.2
ciw_version=3.2.7
# The bench's master seed and cycle (SEED, MM10_CYCLE in benches/simulation.rs).
bench_seed=20280101
bench_cycle=64

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/release/jeugdstroom"
python="${PYTHON:-python3}"
clients="${CLIENTS:-500000}"
warmup="${WARMUP:-20000}"
tool_runs="${TOOL_RUNS:-20}"
tool_replications="${TOOL_REPLICATIONS:-25}"
# No __pycache__ left in scripts/bench-peers/.
export PYTHONDONTWRITEBYTECODE=1

load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M:%S) UTC)"; }

# A venv needs ensurepip (Debian: python3-venv).
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing python3-venv (Debian)" >&2
        apt-get install -y python3-venv >/dev/null ||
            { apt-get update >/dev/null && apt-get install -y python3-venv >/dev/null; }
    else
        echo "error: $python cannot create a virtual environment; install python3-venv" \
            "(as root: apt-get install python3-venv)" >&2
        exit 1
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
py="$work/venv/bin/python"
if ! "$py" -m pip install --quiet --disable-pip-version-check \
    "simpy==$simpy_version" "ciw==$ciw_version"; then
    echo "note: simpy==$simpy_version / ciw==$ciw_version do not install on" \
        "$("$py" --version); installing the newest that do" >&2
    "$py" -m pip install --quiet --disable-pip-version-check simpy ciw
fi

if [[ "${NO_BUILD:-0}" != 1 ]]; then
    cargo build --release --quiet
    cargo bench --bench simulation --no-run --quiet 2>/dev/null ||
        cargo bench --bench simulation --no-run
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//');" \
    "$("$py" --version); jeugdstroom $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "$(date -u +%Y-%m-%d)"
load

# The tool's speed: criterion, into a fresh directory (no stale results).
CRITERION_HOME="$work/criterion" cargo bench --bench simulation --quiet -- \
    --noplot mm10 >"$work/criterion.log" 2>&1 ||
    { cat "$work/criterion.log" >&2; exit 1; }
grep -E 'reference: mm10|^events_per_second/|time:|thrpt:' "$work/criterion.log" || true
load

models="$root/scripts/bench-peers"
for tool in simpy ciw; do
    "$py" "$models/mm10_$tool.py" --clients "$clients" --warmup "$warmup" >"$work/$tool.json"
    cat "$work/$tool.json"
    load
done

# The replications criterion cycled (their events must match; their clients
# are counted), then independent runs for the mean wait.
"$bin" run benches/mm10.toml --seed "$bench_seed" --replications "$bench_cycle" \
    --threads 1 --quiet --out "$work/tool-cycle" >/dev/null
for ((k = 1; k <= tool_runs; k++)); do
    "$bin" run benches/mm10.toml --seed "$k" --replications "$tool_replications" \
        --quiet --out "$work/tool-wait-$k" >/dev/null
done
load

"$py" "$models/compare.py" "$work"
