"""Reads what scripts/bench-peers.sh measured and prints the comparison.

Inputs (all in the work directory given as the only argument):
  simpy.json, ciw.json     one JSON line each (mm10_simpy.py, mm10_ciw.py)
  criterion/events_per_second/{mm10,floor_mm10_*}/new/
                           criterion's estimates.json and benchmark.json
  tool-cycle/              `jeugdstroom run` of the replications criterion
                           cycles (same seed): their events and clients
  tool-wait-*/             independent `jeugdstroom run`s (one seed each) for
                           the mean wait
Checks (4 standard errors): each tool's per-client mean wait against
Erlang-C's W_q (the tool's by Little's law from `waiting_mean`), and the
tool's `wait_days_mean` — a mean of yearly means, a few per cent lower than
W_q — against W_q plus that statistic's bias as SimPy and Ciw measure it.
Exits 1 when a check fails.
"""

import csv
import glob
import json
import math
import os
import statistics
import sys

ARRIVAL_RATE, MEAN_STAY, SERVERS = 0.9, 10.0, 10
DAYS_PER_YEAR = 365.0
TOLERANCE_SE = 4.0


def erlang_c_wait():
    """Mean wait in queue of M/M/c (days): P(wait) / (c·μ − λ)."""
    load = ARRIVAL_RATE * MEAN_STAY
    terms = sum(load**k / math.factorial(k) for k in range(SERVERS))
    top = load**SERVERS / math.factorial(SERVERS) * SERVERS / (SERVERS - load)
    p_wait = top / (terms + top)
    return p_wait / (SERVERS / MEAN_STAY - ARRIVAL_RATE)


def load_json(path):
    with open(path) as f:
        return json.load(f)


def criterion_case(work, case):
    """Mean seconds per iteration and events per iteration of a case."""
    base = os.path.join(work, "criterion", "events_per_second", case, "new")
    estimates = load_json(os.path.join(base, "estimates.json"))
    benchmark = load_json(os.path.join(base, "benchmark.json"))
    seconds = estimates["mean"]["point_estimate"] * 1e-9
    half = (estimates["mean"]["confidence_interval"]["upper_bound"]
            - estimates["mean"]["confidence_interval"]["lower_bound"]) * 0.5e-9
    return seconds, half, benchmark["throughput"]["Elements"]


def region_bed(summary_path, metric):
    """{year: mean} of a metric for the region and care form `bed`."""
    with open(summary_path, newline="") as f:
        return {int(row["year"]): float(row["mean"]) for row in csv.DictReader(f)
                if row["metric"] == metric and row["care_form"] == "bed"
                and row["municipality"] == row["area"] == row["provider"] == "all"}


def tool_speed(work):
    """The tool's figures from criterion and the run of the same replications."""
    seconds, half, events = criterion_case(work, "mm10")
    manifest = load_json(os.path.join(work, "tool-cycle", "manifest.json"))
    replications = manifest["replications"]
    if manifest["events"] // replications != events:
        sys.exit(f"error: criterion's mm10 case has {events} events a replication, the run of "
                 f"the same replications {manifest['events'] / replications:.1f}: not the same")
    clients = sum(region_bed(os.path.join(work, "tool-cycle", "summary.csv"), "inflow").values())
    floor_seconds, _, floor_events = criterion_case(work, "floor_mm10_binary_heap")
    queue_seconds, _, _ = criterion_case(work, "floor_mm10_engine_queue")
    return {
        "seconds": seconds, "seconds_half_ci": half, "own_events": events,
        "clients": clients, "events": 2 * clients,
        "events_per_second": 2 * clients / seconds,
        "own_events_per_second": events / seconds,
        "floor_events_per_second": floor_events / floor_seconds,
        "queue_events_per_second": floor_events / queue_seconds,
    }


def tool_wait(work):
    """The tool's mean wait over the horizon years but the first (still in
    the transient from an empty start after the one warm-up year), from
    independent runs (one seed each): `wait_days_mean` as it is (a mean of
    yearly means), and the per-client mean by Little's law (days waited at
    home, `waiting_mean` × 365, over starts). Mean and se over the runs."""
    metric, little = [], []
    for d in sorted(glob.glob(os.path.join(work, "tool-wait-*"))):
        summary = os.path.join(d, "summary.csv")
        wait = region_bed(summary, "wait_days_mean")
        waiting, starts = region_bed(summary, "waiting_mean"), region_bed(summary, "starts")
        years = sorted(wait)[1:]
        metric.append(statistics.fmean(wait[y] for y in years))
        days_waited = sum(waiting[y] for y in years) * DAYS_PER_YEAR
        little.append(days_waited / sum(starts[y] for y in years))
    def se(xs):
        return statistics.stdev(xs) / math.sqrt(len(xs))

    return {"runs": len(metric), "years": len(years),
            "metric": statistics.fmean(metric), "metric_se": se(metric),
            "little": statistics.fmean(little), "little_se": se(little)}


def check(name, mean, se, target):
    ok = abs(mean - target) <= TOLERANCE_SE * se
    print(f"  {name:<50} {mean:7.3f} vs {target:6.3f} ± {se:5.3f} days  "
          f"({(mean - target) / se:+5.2f} se)  {'PASS' if ok else 'FAIL'}")
    return ok


def print_table(tool, wait, simpy, ciw):
    print("\nM/M/10 (λ = 0.9/day, mean stay 10 days, 10 places, FIFO waiting list), one thread")
    print("events = 2 per client (arrival + departure); wall time of the simulation only\n")
    print("| tool | clients | events | wall s | events/s | mean wait (days) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| jeugdstroom (criterion, one replication) | {tool['clients']:,.0f} "
          f"| {tool['events']:,.0f} | {tool['seconds']:.5f} "
          f"| {tool['events_per_second'] / 1e6:.2f} M "
          f"| {wait['little']:.3f} ± {wait['little_se']:.3f} |")
    for peer in (simpy, ciw):
        print(f"| {peer['tool']} {peer['version']} | {peer['clients']:,} | {peer['events']:,} "
              f"| {peer['seconds']:.2f} | {peer['events_per_second'] / 1e6:.3f} M "
              f"| {peer['wait_mean']:.3f} ± {peer['wait_se']:.3f} |")


def print_notes(tool, wait, simpy, ciw, target):
    print(f"\nErlang-C mean wait: {target:.4f} days")
    print("jeugdstroom's clients: the 20 horizon years' arrivals (mean over the replications "
          "criterion cycles); the warm-up year's are simulated but not counted (conservative)")
    print(f"jeugdstroom's own event count: {tool['own_events']:,} a replication "
          f"({tool['own_events'] / tool['clients']:.2f} per counted client) → "
          f"{tool['own_events_per_second'] / 1e6:.2f} M own events/s; floors at its live "
          f"pending count: bare BinaryHeap {tool['floor_events_per_second'] / 1e6:.2f} M "
          f"({tool['floor_events_per_second'] / tool['own_events_per_second']:.2f}× the tool "
          f"per own event), engine::EventQueue {tool['queue_events_per_second'] / 1e6:.2f} M")
    print(f"jeugdstroom's wait: {wait['runs']} independent runs, years 2 to {wait['years'] + 1} "
          "of the horizon, per client by Little's law (waiting_mean × 365 / starts); "
          f"`wait_days_mean` (a mean of yearly means) {wait['metric']:.3f} "
          f"± {wait['metric_se']:.3f}")
    for peer in (simpy, ciw):
        print(f"{peer['tool']}: mean of yearly means {peer['year_wait_mean']:.3f}, "
              f"{peer['year_bias']:+.3f} ± {peer['year_bias_se']:.3f} days against its per-client "
              f"mean (paired, {peer['years']} years)")
    print("\nratios (events/s, 2 per client):")
    print(f"  jeugdstroom / SimPy = {tool['events_per_second'] / simpy['events_per_second']:.1f}×")
    print(f"  jeugdstroom / Ciw   = {tool['events_per_second'] / ciw['events_per_second']:.1f}×")
    print(f"  SimPy / Ciw         = {simpy['events_per_second'] / ciw['events_per_second']:.2f}×")


def checks(wait, simpy, ciw, target):
    """Per-client means against Erlang-C; the tool's `wait_days_mean`
    against Erlang-C plus the bias of a mean of yearly means that each peer
    measured (the same statistic), since it is not Erlang-C's W_q itself."""
    print(f"\nwithin {TOLERANCE_SE:.0f} se:")
    ok = [check("jeugdstroom per client (Little)", wait["little"], wait["little_se"], target),
          check(f"{simpy['tool']} per client", simpy["wait_mean"], simpy["wait_se"], target),
          check(f"{ciw['tool']} per client", ciw["wait_mean"], ciw["wait_se"], target)]
    for peer in (simpy, ciw):
        se = math.hypot(wait["metric_se"], peer["year_bias_se"])
        ok.append(check(f"jeugdstroom wait_days_mean, {peer['tool']}'s yearly bias",
                        wait["metric"], se, target + peer["year_bias"]))
    off = (wait["metric"] - target) / wait["metric_se"]
    print(f"  (jeugdstroom wait_days_mean against Erlang-C alone: {off:+.2f} se, not a check: "
          "a mean of yearly means is lower than the per-client mean)")
    return all(ok)


def main():
    work = sys.argv[1]
    target = erlang_c_wait()
    simpy = load_json(os.path.join(work, "simpy.json"))
    ciw = load_json(os.path.join(work, "ciw.json"))
    tool, wait = tool_speed(work), tool_wait(work)
    print_table(tool, wait, simpy, ciw)
    print_notes(tool, wait, simpy, ciw, target)
    ok = checks(wait, simpy, ciw, target)
    print("\nPASS" if ok else "\nFAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
