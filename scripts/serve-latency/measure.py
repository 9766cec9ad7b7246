"""Times two streamed POST /api/run requests against a running `serve`.

Prints, for the base and for a what-if, the seconds to the first progress
event and to `done`, with the replication counts the progress events carried.
Standard library only.
"""
import http.client
import json
import sys
import time


def timed_run(port, body):
    """Sends one streamed run; returns (first, done, counts) in seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    payload = json.dumps(body)
    start = time.perf_counter()
    conn.request("POST", "/api/run", payload, {
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    })
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"serve-latency: HTTP {response.status}: {response.read()[:300]!r}")
    first, done, counts, event = None, None, [], None
    while True:
        line = response.fp.readline()
        if not line:
            break
        line = line.decode().rstrip("\n")
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            now = time.perf_counter() - start
            data = json.loads(line[5:])
            if event == "progress":
                first = now if first is None else first
                counts.append(data["replications"])
            elif event == "done":
                first = now if first is None else first
                done = now
                counts.append(data["replications"])
                break
            else:
                sys.exit(f"serve-latency: {event}: {data}")
    conn.close()
    return first, done, counts


def main():
    port, reps = int(sys.argv[1]), int(sys.argv[2])
    cases = [
        ("base, first request (with the counterfactual without the plan)", {}),
        ("what-if, base kept (arrivals.rate_per_1000.mean = 70)",
         {"arrivals.rate_per_1000.mean": 70}),
    ]
    for label, overrides in cases:
        first, done, counts = timed_run(port, {"overrides": overrides, "replications": reps})
        print(f"{label}: first result {first:.2f} s, {reps} replications {done:.2f} s "
              f"(progress at {', '.join(map(str, counts))})")


if __name__ == "__main__":
    main()
