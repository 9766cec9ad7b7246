#!/usr/bin/env bash
# Peak memory of `jeugdstroom run` at 100 and 1000 replications.
#
# Builds the release binary, runs the embedded default scenario with 100 and
# with 1000 replications under GNU time (`/usr/bin/time -v`), and prints the
# peak resident set size of each, their ratio (≈ 1 if memory does not grow
# with the number of replications) and the wall time of the 1000 run.
#
# Usage (from anywhere; paths are relative to the repository root):
#   scripts/peak-rss.sh
# Honours CARGO_TARGET_DIR (default: ./target). Extra arguments are passed to
# both `jeugdstroom run` calls (e.g. `--threads 1`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/release/jeugdstroom"

if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing GNU time (Debian package 'time')" >&2
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        echo "error: /usr/bin/time is missing; install the Debian package 'time' (apt-get install time)" >&2
        exit 1
    fi
fi

echo "building release binary (target dir: $target_dir)" >&2
CARGO_TARGET_DIR="$target_dir" cargo build --release --quiet --bin jeugdstroom

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs N replications under /usr/bin/time -v; leaves the report in $work/time-N.txt.
measure() {
    local n="$1"
    shift
    if ! /usr/bin/time -v -o "$work/time-$n.txt" \
        "$bin" run --replications "$n" --quiet --out "$work/out-$n" "$@" >"$work/stdout-$n.txt"; then
        echo "error: jeugdstroom run --replications $n failed" >&2
        cat "$work/time-$n.txt" >&2 || true
        exit 1
    fi
}

field() { # field FILE LABEL → the value after "LABEL: "
    sed -n "s/^[[:space:]]*$2: //p" "$1"
}

# Wall clock as printed by GNU time ([h:]mm:ss.ss) → seconds.
to_seconds() {
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}

measure 100 "$@"
measure 1000 "$@"

rss100="$(field "$work/time-100.txt" 'Maximum resident set size (kbytes)')"
rss1000="$(field "$work/time-1000.txt" 'Maximum resident set size (kbytes)')"
wall100="$(to_seconds "$(field "$work/time-100.txt" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")"
wall1000="$(to_seconds "$(field "$work/time-1000.txt" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")"

printf 'peak RSS, 100 replications:  %8d KiB (%.1f MiB), wall %s s\n' "$rss100" "$(awk "BEGIN{print $rss100/1024}")" "$wall100"
printf 'peak RSS, 1000 replications: %8d KiB (%.1f MiB), wall %s s\n' "$rss1000" "$(awk "BEGIN{print $rss1000/1024}")" "$wall1000"
printf 'peak RSS ratio 1000/100:     %.3f\n' "$(awk "BEGIN{print $rss1000/$rss100}")"
printf 'wall time, 1000 replications: %s s (%s)\n' "$wall1000" "$(nproc) CPUs"
