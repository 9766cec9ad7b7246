"""M/M/10 in SimPy: one process per client, a `simpy.Resource` of 10 places
(FIFO requests). Prints one JSON line (see common.py)."""

import random
import time

import simpy

from common import ARRIVAL_RATE, MEAN_STAY, SERVERS, parse_args, report


def client(env, places, rng, index, waits, starts):
    """Arrives, waits for a place, stays, leaves."""
    arrived = env.now
    with places.request() as request:
        yield request
        starts[index] = env.now
        waits[index] = env.now - arrived
        yield env.timeout(rng.expovariate(1.0 / MEAN_STAY))


def arrivals(env, places, rng, clients, waits, starts):
    """Poisson arrivals of exactly `clients` clients."""
    for index in range(clients):
        yield env.timeout(rng.expovariate(ARRIVAL_RATE))
        env.process(client(env, places, rng, index, waits, starts))


def main():
    args = parse_args("SimPy")
    rng = random.Random(args.seed)
    env = simpy.Environment()
    places = simpy.Resource(env, capacity=SERVERS)
    waits = [0.0] * args.clients
    starts = [0.0] * args.clients
    env.process(arrivals(env, places, rng, args.clients, waits, starts))
    start = time.perf_counter()
    env.run()  # until every client has left
    seconds = time.perf_counter() - start
    report("SimPy", simpy.__version__, args, seconds, waits, starts)


if __name__ == "__main__":
    main()
