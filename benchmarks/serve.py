"""Load test of the JSON API on loopback: the server in its own process, many clients at once.

    python benchmarks/serve.py [--requests 5000] [--concurrency 50]

Starts ``asb-case-review serve`` (uvicorn, one process) on a free loopback port, waits for
``/api/health``, then sends REQUESTS decisions (``POST /api/decide``, the example applications in
turn) with CONCURRENCY in flight at once from an asynchronous client (httpx), and prints the
throughput, the median and 99th-percentile latency, and the number of errors (any answer but a 200
with the decision, or a failed connection).  Because the machine may be shared, it also prints
the processor time the server and the client used per request (from /proc, on Linux), which
other work on the machine inflates far less than it inflates latency, and the processor time of
the same decisions made in process, without HTTP.  It exits 1 if there was any error.  Nothing is
written to disk.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import timeit
import urllib.request
from pathlib import Path

import httpx

from asb_case_review import STATUTORY, evaluate
from asb_case_review.parsing import application_from_mapping
from asb_case_review.render import to_dict

ROOT = Path(__file__).parent.parent
BODIES = [
    json.dumps({"application": json.loads(path.read_text(encoding="utf-8"))}).encode()
    for path in sorted((ROOT / "examples").glob("*.json"))
    if path.name != "expected.json"
]


def free_port() -> int:
    """A loopback port no one is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def start(port: int) -> subprocess.Popen[bytes]:
    """`asb-case-review serve` on *port*, once it answers /api/health."""
    server = subprocess.Popen(
        [sys.executable, "-m", "asb_case_review", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not answer /api/health within 30 seconds")


async def load(base: str, requests: int, concurrency: int) -> tuple[list[float], int, float]:
    """Every request's latency in seconds, the number of errors, and the wall time."""
    latencies: list[float] = []
    errors = 0
    queue = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal errors
            for index in queue:
                started = time.perf_counter()
                try:
                    response = await client.post(
                        "/api/decide",
                        content=BODIES[index % len(BODIES)],
                        headers={"Content-Type": "application/json"},
                    )
                    ok = response.status_code == 200 and "outcome" in response.json()
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    return latencies, errors, wall


def cpu_seconds(pid: int) -> float | None:
    """The processor time (user and system) process *pid* has used, from /proc (Linux), if readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """The processor time this process (the client) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def in_process() -> float:
    """Processor seconds for one decision without HTTP: parse the body, evaluate, build the record."""

    def once() -> None:
        for body in BODIES:
            to_dict(evaluate(application_from_mapping(json.loads(body)["application"]), STATUTORY))

    # Processor time, as for the server, so that the two compare on a busy machine.
    return min(timeit.repeat(once, number=20, repeat=5, timer=time.process_time)) / (20 * len(BODIES))


def main() -> int:
    """Run the load test and print its figures; 1 if any request failed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    port = free_port()
    server = start(port)
    try:
        server_before, client_before = cpu_seconds(server.pid), own_cpu()
        latencies, errors, wall = asyncio.run(
            load(f"http://127.0.0.1:{port}", args.requests, args.concurrency)
        )
        server_after, client_after = cpu_seconds(server.pid), own_cpu()
    finally:
        server.terminate()
        server.wait(timeout=10)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"requests:    {len(latencies):,} POST /api/decide at {args.concurrency} concurrent, loopback")
    print(f"throughput:  {len(latencies) / wall:,.0f} requests/s ({wall:.1f} s in all)")
    print(f"latency p50: {cuts[49] * 1000:.1f} ms")
    print(f"latency p99: {cuts[98] * 1000:.1f} ms")
    print(f"errors:      {errors}")
    if server_before is not None and server_after is not None:
        used = (server_after - server_before) / len(latencies)
        print(f"server CPU:  {used * 1000:.2f} ms per request (processor time, user and system)")
    else:
        print("server CPU:  not measured (no /proc)")
    print(f"client CPU:  {(client_after - client_before) / len(latencies) * 1000:.2f} ms per request")
    same = "processor time of the same work, no HTTP"
    print(f"in process:  {in_process() * 1000:.2f} ms per decision ({same})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
