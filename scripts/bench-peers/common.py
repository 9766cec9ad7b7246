"""Shared parts of the SimPy and Ciw models of the M/M/10 reference queue.

The queue is the one of benches/mm10.toml: Poisson arrivals at 0.9 a day,
exponential stays with mean 10 days, 10 places, an infinite FIFO waiting
list. Both models simulate exactly `clients` clients (arrival and departure
of each: 2 events per client, the issue's count), time only the simulation,
and estimate the mean wait in the queue from the clients after the first
`warmup` by batch means over `batches` batches of consecutive 365-day
years (a batch lasts decades, far above the waiting time's autocorrelation,
so the batch means are close to independent).

They also report the statistic jeugdstroom's `wait_days_mean` is: the mean
wait of the starts of a 365-day year, averaged over the years. A mean of
yearly ratios is not the per-client mean: years with more arrivals have both
more starts and longer waits, so it is lower than Erlang-C's W_q by a few
per cent at ~330 starts a year (see docs/benchmarks.md, Peers).
"""

import argparse
import json
import math

ARRIVAL_RATE = 0.9  # clients a day
DAYS_PER_YEAR = 365.0  # as in jeugdstroom (src/calendar.rs)
MEAN_STAY = 10.0  # days
SERVERS = 10


def parse_args(tool):
    """Command line shared by both models."""
    parser = argparse.ArgumentParser(description=f"M/M/10 in {tool}")
    parser.add_argument("--clients", type=int, default=300_000)
    parser.add_argument("--warmup", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def mean_se(values):
    """Mean and standard error of (nearly) independent values."""
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var / len(values))


def years(waits, starts):
    """(sum of waits, starts) of each 365-day year by start of care, full
    years only (the first and last year the clients touch are partial)."""
    sums, counts = {}, {}
    for wait, start in zip(waits, starts):
        year = int(start // DAYS_PER_YEAR)
        sums[year] = sums.get(year, 0.0) + wait
        counts[year] = counts.get(year, 0) + 1
    return [(sums[y], counts[y]) for y in sorted(sums)[1:-1]]


def wait_estimates(waits, starts, batches):
    """Per-client mean wait, the mean of yearly means, and their difference
    (paired, so much more precise than either), each with a standard error
    from batch means over `batches` runs of consecutive years."""
    per_year = years(waits, starts)
    size = len(per_year) // batches
    client, yearly = [], []
    for b in range(batches):
        batch = per_year[b * size:(b + 1) * size]
        client.append(sum(s for s, _ in batch) / sum(n for _, n in batch))
        yearly.append(sum(s / n for s, n in batch) / len(batch))
    whole = per_year[:batches * size]
    mean = sum(s for s, _ in whole) / sum(n for _, n in whole)
    _, se = mean_se(client)
    return {
        "wait_mean": mean,
        "wait_se": se,
        "year_wait_mean": mean_se(yearly)[0],
        "year_wait_se": mean_se(yearly)[1],
        "year_bias": mean_se([y - c for y, c in zip(yearly, client)])[0],
        "year_bias_se": mean_se([y - c for y, c in zip(yearly, client)])[1],
        "years": len(whole),
        "measured_clients": sum(n for _, n in whole),
    }


def report(tool, version, args, seconds, waits, starts):
    """Prints one JSON line: what the driver script reads. `waits` and
    `starts` (start of care, days) are in arrival order; the first
    `args.warmup` clients are left out of the estimates."""
    events = 2 * args.clients
    print(json.dumps({
        "tool": tool,
        "version": version,
        "clients": args.clients,
        "events": events,
        "seconds": seconds,
        "events_per_second": events / seconds,
        "batches": args.batches,
        **wait_estimates(waits[args.warmup:], starts[args.warmup:], args.batches),
    }))
