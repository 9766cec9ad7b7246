#!/usr/bin/env bash
# Prints a SHA-256 for every result file that every command writes for every
# shipped scenario (small replication counts, fixed seeds). Run it before and
# after a refactor and diff the two lists: a behaviour-preserving change leaves
# them identical. Timestamps, wall time, host, thread count and the checkout
# path are masked, and so is the manifest's checksum of assumptions.json (that
# file records source paths; its own hash line covers its content).
#   scripts/result-hashes.sh [BINARY] > hashes.txt
set -euo pipefail
cd "$(dirname "$0")/.."
J=${1:-target/release/jeugdstroom}
J=$(realpath "$J")
root=$(realpath scenarios/..)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
q=(--quiet)
for f in scenarios/*.toml; do
  n=$(basename "$f" .toml)
  "$J" run "$f" --replications 6 --seed 11 --threads 2 "${q[@]}" --out "$w/run/$n" --report >/dev/null
done
"$J" run --replications 6 --seed 5 --threads 1 "${q[@]}" --out "$w/default" --report --lang nl >"$w/default.stdout"
for k in 1 2 3; do
  "$J" run --replications 7 --seed 5 --threads 2 --shard "$k/3" "${q[@]}" --out "$w/shard$k" >/dev/null
done
"$J" merge "$w/shard1" "$w/shard2" "$w/shard3" --out "$w/merged" >"$w/merge.stdout"
mkdir -p "$w/merged-report"
"$J" report "$w/merged" --out "$w/merged-report/r.html" --lang en >/dev/null
"$J" compare scenarios/amsterdam-duo.toml scenarios/amsterdam-duo-afbouw.toml --replications 4 --seed 2 "${q[@]}" --out "$w/compare" --report >"$w/compare.stdout"
"$J" compare scenarios/amsterdam-duo.toml scenarios/amsterdam-duo-budget-capped.toml --replications 3 --seed 2 "${q[@]}" --out "$w/compare2" >"$w/compare2.stdout"
cat > "$w/grid.toml" <<TOML
base = "$root/scenarios/amsterdam-duo.toml"
replications = 3
seed = 9
[parameters]
"care_forms.residential.tariff" = [300, 400]
"care_forms.foster_care.duration.mean" = [300, 500]
TOML
"$J" sweep "$w/grid.toml" "${q[@]}" --out "$w/sweep-grid" >"$w/sweep.stdout"
cat > "$w/oat.toml" <<TOML
base = "$root/scenarios/amsterdam-duo.toml"
mode = "one_at_a_time"
replications = 3
seed = 9
[parameters]
"care_forms.residential.tariff" = [300, 400]
"care_forms.foster_care.duration.mean" = [300, 500]
TOML
"$J" sweep "$w/oat.toml" "${q[@]}" --out "$w/sweep-oat" >"$w/sweep-oat.stdout"
"$J" scenario default >"$w/scenario-default.toml"
"$J" scenario schema >"$w/schema.json"
"$J" capacity scenarios/amsterdam-duo.toml --replications 3 --seed 4 --out "$w/capacity.csv" >"$w/capacity.stdout"
"$J" calibrate examples/history-synthetic.csv --base examples/truth.toml --out "$w/calibrated.toml" >"$w/calibrate.stdout"
"$J" backtest examples/history-synthetic.csv --base examples/truth.toml --fit-until 2021 --replications 5 --seed 3 "${q[@]}" --out "$w/backtest" >"$w/backtest.stdout"
"$J" slurm --scenario scenarios/amsterdam-duo.toml --shards 3 --out "$w/slurm" --binary /bin/jeugdstroom --replications 9 --seed 1 >/dev/null
"$J" validate scenarios/amsterdam-duo-afbouw.toml >"$w/validate.stdout"
cd "$w"
mask() { sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
  -e 's/"(wall_seconds|host|threads)": [^,]*/"\1": X/' -e 's/"assumptions.json": "[0-9a-f]+"/"assumptions.json": X/' -e "s#$w#W#g" -e "s#$root#ROOT#g" -e 's/[0-9.]+ s\b/S s/g' "$1"; }
find . -type f | sort | while read -r p; do
  case "$p" in
    *.xlsx) d=$(mktemp -d); (cd "$d" && unzip -qo "$w/$p" && find . -type f ! -path './docProps/*' | sort | xargs cat | sed -E "s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g" | sha256sum | cut -c1-16 | sed "s#^#$p #"); rm -rf "$d";;
    *) echo "$p $(mask "$p" | sha256sum | cut -c1-16)";;
  esac
done
