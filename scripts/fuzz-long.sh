#!/usr/bin/env bash
# The long fuzz run (issue 12, class 7): the harness of tests/fuzz/ with
# random seeds for SECONDS (default 3600), every target in turn.
#
#   scripts/fuzz-long.sh [SECONDS]
#
# Prints the number of inputs tried and each distinct finding; the
# (minimised) input of every finding is saved under
# target/fuzz-findings/<target>/<signature hash>/ with finding.txt beside it.
# Should the harness itself die (an abort or stack overflow inside a library
# call), the input it was trying is kept under target/fuzz-findings/crash-N/
# and the run goes on with a new seed, without the structured cases.
# Findings of an earlier run are moved to target/fuzz-findings.prev/.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
dir=target/fuzz-findings
rm -rf "$dir.prev" && { [ -d "$dir" ] && mv "$dir" "$dir.prev"; mkdir -p "$dir"; }
cargo test --release --test tests --no-run 2>&1 | tail -1
end=$(( $(date +%s) + seconds ))
inputs=0
round=0
skip=""
while [ "$(date +%s)" -lt "$end" ]; do
  left=$(( end - $(date +%s) ))
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  log="$dir/round-$round.log"
  echo "== round $round: $left s, seed $seed"
  FUZZ_SECONDS=$left FUZZ_SEED=$seed FUZZ_SKIP_STRUCTURED=$skip \
    cargo test --release --test tests -- --ignored --exact fuzz::long --nocapture >"$log" 2>&1
  status=$?
  done_line=$(grep -a '^FUZZ-INPUTS' "$log" | tail -1)
  if [ -n "$done_line" ]; then
    inputs=$(( inputs + ${done_line#FUZZ-INPUTS } ))
  else
    last=$(grep -a '^FUZZ-PROGRESS' "$log" | tail -1)
    inputs=$(( inputs + ${last#FUZZ-PROGRESS } + 0 ))
    echo "harness died (exit $status); its input is kept in $dir/crash-$round"
    cp -r "$dir/current" "$dir/crash-$round" 2>/dev/null
    tail -5 "$log" >"$dir/crash-$round/log-tail.txt"
    skip=1
  fi
  [ "$status" -ne 0 ] && [ -n "$done_line" ] && grep -a 'NEW\]' "$log"
  round=$(( round + 1 ))
done
echo "== fuzz: $inputs inputs in $seconds s"
echo "== findings (each input under $dir/<target>/<hash>/):"
for f in "$dir"/*/*/finding.txt; do
  [ -f "$f" ] || continue
  printf '%s\n  %s | %s | %s\n' "$(dirname "$f")" \
    "$(sed -n 's/^signature: //p' "$f")" "$(sed -n 's/^known: //p' "$f")" "$(sed -n 's/^case: //p' "$f")"
done
