"""Reads what scripts/bench-peers.sh measured and prints the comparison.

Inputs (all in the work directory given as the only argument):
  simpy.json, ciw.json     one JSON line each (mm10_simpy.py, mm10_ciw.py)
  criterion/events_per_second/{mm10,floor_mm10_binary_heap}/new/
                           criterion's estimates.json and benchmark.json
  tool-cycle/              `jeugdstroom run` of the replications criterion
                           cycles (same seed): their events and clients
  tool-wait-*/             independent `jeugdstroom run`s (one seed each) for
                           the mean wait
Exits 1 when a mean wait is more than 4 standard errors from Erlang-C's.
"""

import csv
import glob
import json
import math
import os
import statistics
import sys

ARRIVAL_RATE, MEAN_STAY, SERVERS = 0.9, 10.0, 10
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
    """Per-year means of a metric for the region and care form `bed`."""
    with open(summary_path, newline="") as f:
        return [float(row["mean"]) for row in csv.DictReader(f)
                if row["metric"] == metric and row["care_form"] == "bed"
                and row["municipality"] == row["area"] == row["provider"] == "all"]


def tool_speed(work):
    """The tool's figures from criterion and the run of the same replications."""
    seconds, half, events = criterion_case(work, "mm10")
    manifest = load_json(os.path.join(work, "tool-cycle", "manifest.json"))
    replications = manifest["replications"]
    if manifest["events"] // replications != events:
        sys.exit(f"error: criterion's mm10 case has {events} events a replication, the run of "
                 f"the same replications {manifest['events'] / replications:.1f}: not the same")
    clients = sum(region_bed(os.path.join(work, "tool-cycle", "summary.csv"), "inflow"))
    floor_seconds, _, floor_events = criterion_case(work, "floor_mm10_binary_heap")
    return {
        "seconds": seconds, "seconds_half_ci": half, "own_events": events,
        "clients": clients, "events": 2 * clients,
        "events_per_second": 2 * clients / seconds,
        "own_events_per_second": events / seconds,
        "floor_events_per_second": floor_events / floor_seconds,
    }


def tool_wait(work):
    """Mean wait and its standard error over independent runs (one seed each)."""
    estimates = []
    for d in sorted(glob.glob(os.path.join(work, "tool-wait-*"))):
        years = region_bed(os.path.join(d, "summary.csv"), "wait_days_mean")
        estimates.append(sum(years) / len(years))
    return statistics.fmean(estimates), statistics.stdev(estimates) / math.sqrt(len(estimates))


def check(name, mean, se, target):
    ok = abs(mean - target) <= TOLERANCE_SE * se
    print(f"  {name:<12} {mean:7.3f} ± {se:5.3f} days  ({(mean - target) / se:+5.2f} se)  "
          f"{'PASS' if ok else 'FAIL'}")
    return ok


def main():
    work = sys.argv[1]
    target = erlang_c_wait()
    simpy, ciw = load_json(os.path.join(work, "simpy.json")), load_json(os.path.join(work, "ciw.json"))
    tool = tool_speed(work)
    wait, wait_se = tool_wait(work)
    runs = len(glob.glob(os.path.join(work, "tool-wait-*")))

    print("\nM/M/10 (λ = 0.9/day, mean stay 10 days, 10 places, FIFO waiting list), one thread")
    print("events = 2 per client (arrival + departure); wall time of the simulation only\n")
    print("| tool | clients | events | wall s | events/s | mean wait (days) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| jeugdstroom (criterion, one replication) | {tool['clients']:,.0f} | {tool['events']:,.0f} "
          f"| {tool['seconds']:.5f} | {tool['events_per_second'] / 1e6:.2f} M | {wait:.3f} ± {wait_se:.3f} |")
    for peer in (simpy, ciw):
        print(f"| {peer['tool']} {peer['version']} | {peer['clients']:,} | {peer['events']:,} "
              f"| {peer['seconds']:.2f} | {peer['events_per_second'] / 1e6:.3f} M "
              f"| {peer['wait_mean']:.3f} ± {peer['wait_se']:.3f} |")
    print(f"\nErlang-C mean wait: {target:.4f} days")
    print("jeugdstroom's clients: the 20 horizon years' arrivals (mean over the replications "
          "criterion cycles); the warm-up year's are simulated but not counted (conservative)")
    print(f"jeugdstroom's own event count: {tool['own_events']:,} a replication "
          f"({tool['own_events'] / tool['clients']:.2f} per counted client) → "
          f"{tool['own_events_per_second'] / 1e6:.2f} M own events/s; "
          f"bare BinaryHeap floor at its live pending count {tool['floor_events_per_second'] / 1e6:.2f} M "
          f"({tool['floor_events_per_second'] / tool['own_events_per_second']:.2f}× the tool per own event)")
    print(f"jeugdstroom's wait: {runs} independent runs, the mean of `wait_days_mean` over the years "
          "(region, bed), se from the runs' spread\n")
    print("ratios (events/s, 2 per client):")
    print(f"  jeugdstroom / SimPy = {tool['events_per_second'] / simpy['events_per_second']:.1f}×")
    print(f"  jeugdstroom / Ciw   = {tool['events_per_second'] / ciw['events_per_second']:.1f}×")
    print(f"  SimPy / Ciw         = {simpy['events_per_second'] / ciw['events_per_second']:.2f}×\n")
    print(f"mean wait within {TOLERANCE_SE:.0f} se of Erlang-C's {target:.3f} days:")
    ok = all([check("jeugdstroom", wait, wait_se, target),
              check(simpy["tool"], simpy["wait_mean"], simpy["wait_se"], target),
              check(ciw["tool"], ciw["wait_mean"], ciw["wait_se"], target)])
    print("\nPASS" if ok else "\nFAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
