#!/usr/bin/env bash
# Measures how much of a default `run` is serial and how it scales from one
# to two worker threads (issue 15, item 2). Runs the embedded default
# (amsterdam-duo with uncertain parameters and its without-plan twin) with
# --threads 1 and --threads 2, REPS replications each (default 200), with
# JEUGDSTROOM_TIMINGS=1, and prints:
#   - the phase times of the --threads 1 run (seconds, per result folder);
#   - the serial fraction: (wall time − time inside replication work) ÷ wall
#     time of the --threads 1 run, where replication work is the time the
#     workers spend simulating, pricing and evaluating replications (both
#     folders). Wall time is the whole process (start-up, both folders,
#     every file, the manifest);
#   - the wall times at 1 and 2 threads and the speed-up.
# Wall-clock figures depend on what else the machine runs: the load average
# is printed before and after each run; take figures on a quiet machine.
#   scripts/serial-fraction.sh [BINARY] [REPS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
J=$(realpath "${1:-target/release/jeugdstroom}")
REPS=${2:-200}
SEED=${3:-1}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "binary $J, $REPS replications, seed $SEED, $(nproc) cores, $(date -u +%FT%TZ)"
declare -A wall
for t in 1 2; do
  before=$(load)
  start=$(now)
  JEUGDSTROOM_TIMINGS=1 "$J" run --replications "$REPS" --seed "$SEED" --threads "$t" \
    --quiet --out "$w/t$t" >/dev/null 2>"$w/t$t.timings"
  end=$(now)
  wall[$t]=$(echo "$end - $start" | bc -l)
  printf 'threads %s: wall %.3f s (load before %s, after %s)\n' "$t" "${wall[$t]}" "$before" "$(load)"
done
echo
echo "phases of the --threads 1 run (seconds; folder, phase):"
awk -F'\t' '$1 == "timing" { printf "  %-14s %-32s %9.4f\n", $2, $3, $4 }' "$w/t1.timings"
work=$(awk -F'\t' '$1 == "timing" && $3 == "replication work" { s += $4 } END { print s }' "$w/t1.timings")
echo
awk -v wall="${wall[1]}" -v work="$work" 'BEGIN {
  printf "threads 1: wall %.3f s, replication work %.3f s, outside it %.3f s\n", wall, work, wall - work
  printf "serial fraction (threads 1): %.3f %%\n", 100 * (wall - work) / wall
}'
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "speed-up 1 -> 2 threads: %.3fx\n", a / b }'
cmp -s "$w/t1/summary.csv" "$w/t2/summary.csv" && echo "summary.csv identical at 1 and 2 threads" ||
  { echo "summary.csv DIFFERS between 1 and 2 threads" >&2; exit 1; }
