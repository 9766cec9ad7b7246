#!/usr/bin/env bash
# National-scale test (issue 7 item 5): speed and memory of `jeugdstroom run`
# on scenarios/nederland.toml — the Netherlands as one region, about 440,000
# young people in youth care a year.
#
# Builds the release binary if needed, then runs the scenario twice under GNU
# time (`/usr/bin/time -v`):
#   4 replications on 1 thread   → out/nederland-r4-t1/
#   8 replications on 2 threads  → out/nederland-r8-t2/
# and prints for each: events processed, wall seconds and replications (from
# the result's manifest.json), events per second, wall seconds per
# replication and the peak resident set size. The machine's load average is
# printed before and after (this VM's speed depends on what else runs).
# Last, a calibration check from the 8-replication run's summary.csv: users
# per year (clients in care on 1 January + arrivals during the year) against
# the CBS figures, and secure-care users.
#
# Usage (from anywhere; paths are relative to the repository root):
#   scripts/national-scale.sh
# Environment: CARGO_TARGET_DIR (default ./target); NO_BUILD=1 skips the
# cargo build and uses the existing binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/release/jeugdstroom"
scenario="scenarios/nederland.toml"

if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing GNU time (Debian package 'time')" >&2
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        echo "error: /usr/bin/time is missing; install the Debian package 'time' (apt-get install time)" >&2
        exit 1
    fi
fi

if [[ "${NO_BUILD:-0}" != 1 ]]; then
    echo "building release binary if needed (target dir: $target_dir)" >&2
    CARGO_TARGET_DIR="$target_dir" cargo build --release --quiet --bin jeugdstroom
fi
if [[ ! -x "$bin" ]]; then
    echo "error: $bin not found; build it with cargo build --release" >&2
    exit 1
fi

"$bin" validate "$scenario" >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

manifest_field() { # manifest_field DIR NAME → the number after "NAME":
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\([0-9.eE+-]*\),\{0,1\}[[:space:]]*$/\1/p" "$1/manifest.json" | head -n 1
}

time_field() { # time_field FILE LABEL → the value after "LABEL: "
    sed -n "s/^[[:space:]]*$2: //p" "$1"
}

# Wall clock as printed by GNU time ([h:]mm:ss.ss) → seconds.
to_seconds() {
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}

load() { awk '{ print $1 " " $2 " " $3 }' /proc/loadavg; }

echo "machine: $(nproc) CPUs, load average (1/5/15 min) before: $(load)"
printf '%-22s %6s %7s %12s %9s %12s %10s %10s %10s\n' \
    run replications threads events wall_s events/s s/repl time_wall_s peak_MiB

# measure N T: runs N replications on T threads, prints one table row.
measure() {
    local n="$1" t="$2"
    local out="out/nederland-r$n-t$t"
    local report="$work/time-r$n-t$t.txt"
    if ! /usr/bin/time -v -o "$report" \
        "$bin" run "$scenario" --replications "$n" --threads "$t" --quiet --out "$out" \
        >"$work/stdout-r$n-t$t.txt"; then
        echo "error: jeugdstroom run --replications $n --threads $t failed" >&2
        cat "$report" >&2 || true
        exit 1
    fi
    local events wall reps rss elapsed
    events="$(manifest_field "$out" events)"
    wall="$(manifest_field "$out" wall_seconds)"
    reps="$(manifest_field "$out" replications)"
    rss="$(time_field "$report" 'Maximum resident set size (kbytes)')"
    elapsed="$(to_seconds "$(time_field "$report" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")"
    awk -v run="$out" -v r="$reps" -v t="$t" -v e="$events" -v w="$wall" -v rss="$rss" -v el="$elapsed" 'BEGIN {
        printf "%-22s %6d %7d %12d %9.2f %12.0f %10.2f %10.2f %10.1f\n",
            run, r, t, e, w, e / w, w / r, el, rss / 1024
    }'
}

measure 4 1
measure 8 2

echo "load average after: $(load)"
echo "(events/s = events / wall_seconds of the manifest; s/repl = wall_seconds / replications;"
echo " time_wall_s = the whole process under /usr/bin/time, loading and writing included;"
echo " peak_MiB = Maximum resident set size)"

# Calibration check on the 8-replication run (means over replications).
echo
echo "calibration (out/nederland-r8-t2/summary.csv, means):"
echo "  CBS youth-care users 0-23: 443,585 (2019), 435,760 (2020); closed placements 2,080 (2020)"
awk -F, '
    $2 == "all" && $3 == "all" && $4 == "all" {
        key = $1 SUBSEP $5 SUBSEP $6; v[key] = $7; years[$1] = 1
    }
    END {
        n = 0; for (y in years) ys[++n] = y + 0
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ys[j] < ys[i]) { x = ys[i]; ys[i] = ys[j]; ys[j] = x }
        printf "  %4s %14s %12s %12s %16s %14s\n", "year", "users/year", "in care end", "inflow", "secure users", "cost EUR M"
        for (i = 1; i <= n; i++) {
            y = ys[i]
            prev = y - 1
            if ((prev, "all", "active_end") in v) {
                users = sprintf("%d", v[prev, "all", "active_end"] + v[y, "all", "inflow"] + 0.5)
                secure = sprintf("%d", v[prev, "secure", "active_end"] + v[y, "secure", "starts"] + 0.5)
            } else {
                users = sprintf("%d*", v[y, "all", "active_end"] + v[y, "all", "outflow"] + v[y, "all", "reneged"] + 0.5)
                secure = "n/a"
            }
            printf "  %4d %14s %12d %12d %16s %14.1f\n", y, users, v[y, "all", "active_end"] + 0.5, v[y, "all", "inflow"] + 0.5, secure, v[y, "all", "cost_eur"] / 1e6
        }
    }' out/nederland-r8-t2/summary.csv
echo "  (users = in care at the end of the year before + inflow; secure users = secure in care at the"
echo "   end of the year before + secure starts; * first year: in care at year end + outflow + reneged,"
echo "   the same count when the waiting list is as long on 1 January as on 31 December)"
