"""One ``ccmon serve``, many browsers: what the vendors, the clients and serve itself see.

    python -m benchmarks.bench_serve [--seconds 30] [--clients 1,20,100] [--floor big|demo]

The simulator runs in its own process with the vendors' real rate limits, ``ccmon serve`` in
another (so its CPU and RSS are its own), the SSE clients in this one (asyncio, httpx). For
0 (the baseline) and each number of clients, ``--seconds`` long: vendor requests per minute
(they must not grow with the clients), the delay from the engine's diff (the event's
``time:`` field) to each client, serve's CPU and RSS, bytes each client received per minute.
Then ``/metrics`` and ``/api/snapshot`` latency (sequential requests, no stream open).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx

from benchmarks.bench_hub import FLOORS, ccmon_env, cpu_s, rss_mb, vendor_requests
from benchmarks.common import percentile, print_table, row
from tests.support.serving import bound_socket

ROUNDS = 20


class Tally:
    def __init__(self) -> None:
        self.bytes = 0
        self.delays: list[float] = []
        self.events = 0


async def follow(url: str, tally: Tally, seconds: float) -> None:
    """One SSE client on /api/events for ``seconds``."""
    with contextlib.suppress(TimeoutError):
        async with (
            asyncio.timeout(seconds),
            httpx.AsyncClient(timeout=httpx.Timeout(30, read=60)) as http,
            http.stream("GET", f"{url}/api/events") as answer,
        ):
            stamp: float | None = None
            async for line in answer.aiter_lines():
                tally.bytes += len(line) + 1
                if line.startswith("time: "):
                    stamp = float(line[6:])
                elif line.startswith("data: ") and stamp is not None:
                    tally.events += 1
                    if '"initial": true' not in line[:120]:
                        tally.delays.append(time.time() - stamp)
                    stamp = None


async def clients(url: str, count: int, seconds: float) -> list[Tally]:
    tallies = [Tally() for _ in range(count)]
    await asyncio.gather(*(follow(url, t, seconds) for t in tallies))
    return tallies


def latency(url: str, path: str) -> list[float]:
    with httpx.Client(timeout=60) as http:
        http.get(f"{url}{path}").raise_for_status()
        samples = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            http.get(f"{url}{path}").raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def wait_ready(url: str, serve: subprocess.Popen[str], within: float) -> None:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if serve.poll() is not None:
            raise SystemExit("ccmon serve stopped while starting")
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    raise SystemExit(f"ccmon serve's sources were not all ok within {within:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", default="1,20,100")
    parser.add_argument("--floor", choices=sorted(FLOORS), default="big")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]

    from benchmarks.sim_process import sim_process

    floor: dict[str, Any] = {**FLOORS[args.floor], "start": None, "speed": 1.0}
    with sim_process(**floor) as env:
        probe = bound_socket()
        port = probe.getsockname()[1]
        probe.close()
        url = f"http://127.0.0.1:{port}"
        serve = subprocess.Popen(
            [sys.executable, "-m", "ccmon", "serve", "--port", str(port)],
            env=ccmon_env(env),
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_ready(url, serve, 900)
            rows = []
            for n in [0, *counts]:
                cpu0, t0 = cpu_s(serve.pid), time.monotonic()
                if n:
                    tallies = asyncio.run(clients(url, n, args.seconds))
                else:
                    tallies = []
                    time.sleep(args.seconds)
                t1 = time.monotonic()
                cpu1 = cpu_s(serve.pid)
                requests, limited = vendor_requests(env, t0, t1)
                minutes = (t1 - t0) / 60
                delays = [d * 1000 for t in tallies for d in t.delays]
                rows.append(
                    [
                        str(n),
                        f"{requests / minutes:.0f}",
                        str(limited),
                        f"{statistics.median(delays):.0f} / {percentile(delays, 95):.0f} ms"
                        if delays
                        else "—",
                        f"{100 * (cpu1 - cpu0) / (t1 - t0):.0f} %",
                        f"{rss_mb(serve.pid):.0f} MB",
                        f"{sum(t.bytes for t in tallies) / n / minutes / 1024:.0f} KiB"
                        if n
                        else "—",
                    ]
                )
            print_table(
                f"ccmon serve at the {args.floor} floor, {args.seconds:.0f} s per row "
                "(event delay: the engine's diff to the client)",
                [
                    "SSE clients",
                    "vendor req/min",
                    "429s",
                    "event delay median / p95",
                    "serve CPU",
                    "serve RSS",
                    "bytes/client/min",
                ],
                rows,
            )
            print_table(
                f"Latency at the {args.floor} floor ({ROUNDS} sequential requests)",
                ["endpoint", "median", "p95", "n"],
                [row(path, latency(url, path)) for path in ("/metrics", "/api/snapshot")],
            )
        finally:
            serve.terminate()
            serve.wait(30)


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
