"""M/M/10 in Ciw: one node, exponential inter-arrival and service times,
10 servers, unlimited FIFO queue. Runs until `clients` clients have
finished. Prints one JSON line (see common.py)."""

import time

import ciw

from common import ARRIVAL_RATE, MEAN_STAY, SERVERS, parse_args, report


def main():
    args = parse_args("Ciw")
    ciw.seed(args.seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVAL_RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / MEAN_STAY)],
        number_of_servers=[SERVERS],
    )
    simulation = ciw.Simulation(network)
    start = time.perf_counter()
    simulation.simulate_until_max_customers(args.clients, method="Finish")
    seconds = time.perf_counter() - start
    records = sorted(simulation.get_all_records(), key=lambda r: r.arrival_date)
    waits = [r.waiting_time for r in records]
    starts = [r.service_start_date for r in records]
    report("Ciw", ciw.__version__, args, seconds, waits, starts)


if __name__ == "__main__":
    main()
