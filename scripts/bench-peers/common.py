"""Shared parts of the SimPy and Ciw models of the M/M/10 reference queue.

The queue is the one of benches/mm10.toml: Poisson arrivals at 0.9 a day,
exponential stays with mean 10 days, 10 places, an infinite FIFO waiting
list. Both models simulate exactly `clients` clients (arrival and departure
of each: 2 events per client, the issue's count), time only the simulation,
and estimate the mean wait in the queue from the clients after the first
`warmup` by batch means over `batches` consecutive batches (batch size far
above the waiting time's autocorrelation, so the batch means are close to
independent).
"""

import argparse
import json
import math

ARRIVAL_RATE = 0.9  # clients a day
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


def batch_means(waits, batches):
    """Mean and its standard error from `batches` consecutive batch means."""
    size = len(waits) // batches
    means = [sum(waits[b * size:(b + 1) * size]) / size for b in range(batches)]
    mean = sum(means) / batches
    var = sum((m - mean) ** 2 for m in means) / (batches - 1)
    return mean, math.sqrt(var / batches)


def report(tool, version, args, seconds, waits_in_arrival_order):
    """Prints one JSON line: what the driver script reads."""
    measured = waits_in_arrival_order[args.warmup:args.clients]
    mean, se = batch_means(measured, args.batches)
    events = 2 * args.clients
    print(json.dumps({
        "tool": tool,
        "version": version,
        "clients": args.clients,
        "events": events,
        "seconds": seconds,
        "events_per_second": events / seconds,
        "wait_mean": mean,
        "wait_se": se,
        "measured_clients": len(measured),
        "batches": args.batches,
    }))
