#!/usr/bin/env python3
"""Runs `jeugdstroom compare` of the baseline against each landscape variant
and prints the variant table of docs/guide.md (paired differences, common random numbers).

usage: scripts/variant-table.py [REPLICATIONS]   (run from the repository root
after `cargo build --release`)"""
import csv
import subprocess
import sys

REPS = sys.argv[1] if len(sys.argv) > 1 else "200"
BASE = "scenarios/amsterdam-duo.toml"
VARIANTS = ["afbouw", "normaliseren", "doorstroom", "budget-capped", "crisis-buffer"]
YEARS = ["2030", "2037"]


def rows(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["scope"] == "region"]


def get(table, year, metric):
    return next(r for r in table if r["year"] == year and r["metric"] == metric)


print("| variant | year | cost A → B €M (Δ ± 95 %) | P(cost > lumpsum) A → B | wait days A → B | waiting A → B | reneged A → B | out of region A → B | vacancy €M A → B | friction €M |")
print("|---|---|---|---|---|---|---|---|---|---|")
for v in VARIANTS:
    out = f"/tmp/variant-{v}"
    res = subprocess.run(
        ["target/release/jeugdstroom", "compare", BASE, f"scenarios/amsterdam-duo-{v}.toml",
         "--replications", REPS, "--quiet", "--out", out],
        check=True, capture_output=True, text=True)
    payback = [l for l in res.stdout.splitlines() if "pay back" in l or "pays back" in l or "never costs" in l]
    t = rows(f"{out}/comparison.csv")
    for y in YEARS:
        c = get(t, y, "cost_eur")
        p = get(t, y, "p_overrun")
        w = get(t, y, "wait_days_mean")
        q = get(t, y, "waiting_mean")
        vac = get(t, y, "vacancy_cost_eur")
        fr = get(t, y, "friction_cost_eur")
        rn = get(t, y, "reneged")
        oor = get(t, y, "out_of_region_starts")
        half = (float(c["diff_ci95_high"]) - float(c["diff_ci95_low"])) / 2
        m = lambda r, k: float(r[k]) / 1e6
        print(f"| {v} | {y} | {m(c,'a_mean'):.1f} → {m(c,'b_mean'):.1f} ({m(c,'diff_mean'):+.1f} ± {half/1e6:.1f}) "
              f"| {float(p['a_mean'])*100:.0f} % → {float(p['b_mean'])*100:.0f} % "
              f"| {float(w['a_mean']):.1f} → {float(w['b_mean']):.1f} "
              f"| {float(q['a_mean']):.0f} → {float(q['b_mean']):.0f} "
              f"| {float(rn['a_mean']):.0f} → {float(rn['b_mean']):.0f} "
              f"| {float(oor['a_mean']):.0f} → {float(oor['b_mean']):.0f} "
              f"| {m(vac,'a_mean'):.1f} → {m(vac,'b_mean'):.1f} | {m(fr,'b_mean'):.2f} |")
    print(f"<!-- {v}: {' '.join(payback)} -->", file=sys.stderr)
