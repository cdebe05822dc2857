"""The simulator under load: each main endpoint hammered over loopback with httpx.

    python -m benchmarks.bench_sim [--requests 200] [--warmup-hours 2]

Starts the simulator at 5,000 agents / 500 queues / 20,000 interactions a day with rate
limiting off, sends ``--requests`` sequential requests per endpoint on one kept-alive
connection, and prints requests/s, median and p95 latency and the response size. A last
row times rendering and encoding the full JSON of all 5,000 agents in-process (the API
pages them 100 at a time).

At 20,000 contacts a day 5,000 agents are mostly idle and no queue holds anyone, so
``menus/current_status`` would answer ``[]``. Before measuring, the benchmark sends all but
one agent in fifty on a break and puts ``--waiting`` contacts in each of 300 queues, so that
the live endpoints carry a busy floor's payload.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks.common import BIG, percentile, print_table
from ccmon.sim.render.ccai import CcaiRenderer
from ccmon.sim.runner import SimServer
from ccmon.sim.timefmt import iso_z
from tests.support.sim import running_sim, sim_client

HEADERS = ["endpoint", "requests/s", "median ms", "p95 ms", "response KB"]


def endpoints(sim: SimServer) -> list[tuple[str, str, dict[str, str]]]:
    with sim_client(sim, "alo") as alo:
        periods = alo.get("periods").json()["periods"]
    now = time.time()
    current = next(p["id"] for p in periods if p["start_date"] <= iso_z(now) < p["end_date"])
    recent = iso_z(sim.clock.now() - 60)
    per = {"per": "100"}
    sla = {"channel": "call", "minutes": "15"}
    return [
        ("ccai", "agents", per),
        ("ccai", "agents/current_status", {}),
        ("ccai", "agent_activity_logs", per),
        ("ccai", "agent_activity_logs", {"started_at[from]": recent, "per": "100"}),
        ("ccai", "calls", per),
        ("ccai", "calls", {"updated_at[from]": recent, "per": "100"}),
        ("ccai", "chats", {"updated_at[from]": recent, "per": "100"}),
        ("ccai", "menus", per),
        ("ccai", "menus/tree", {}),
        ("ccai", "menus/current_status", {}),
        ("ccai", "menus/sla", sla),
        ("ccai", "menus/sla_by_queue_groups", sla),
        ("ccai", "user_statuses", {}),
        ("ccai", "teams", per),
        ("ccai", "teams/tree", {}),
        ("alo", "periods", {}),
        ("alo", f"periods/{current}/actions", {}),
        ("evo", "portal/activity", {"CountPerPage": "100"}),
        ("evo", "portal/activity", {"SimplifiedPaging": "true", "CountPerPage": "100"}),
        ("evo", "portal/activity", {"All": "true"}),
    ]


BUSY_QUEUES = 300


def make_busy(sim: SimServer, per_queue: int) -> int:
    """Most agents on a break, contacts waiting in BUSY_QUEUES queues; how many wait."""
    for index, agent in enumerate(sim.world.agents()):
        if index % 50:
            sim.world.set_agent_status(agent.id, "Break")
    for queue in sim.world.queues()[:BUSY_QUEUES]:
        sim.world.enqueue_contacts(queue.path, per_queue, channel=queue.channel)
    return sum(q.waiting for q in sim.world.queues())


def hammer(client: httpx.Client, path: str, params: dict[str, str], count: int) -> list[str]:
    client.get(path, params=params).raise_for_status()  # warm up
    latencies, sizes = [], []
    started = time.perf_counter()
    for _ in range(count):
        sent = time.perf_counter()
        response = client.get(path, params=params)
        latencies.append((time.perf_counter() - sent) * 1000)
        response.raise_for_status()
        sizes.append(len(response.content))
    elapsed = time.perf_counter() - started
    return [
        f"{count / elapsed:.0f}",
        f"{statistics.median(latencies):.2f}",
        f"{percentile(latencies, 95):.2f}",
        f"{statistics.mean(sizes) / 1024:.1f}",
    ]


def timed(fn: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def render_all_agents(sim: SimServer) -> tuple[list[str], int]:
    render = CcaiRenderer("demo")
    size = 0

    def encode() -> None:
        nonlocal size
        with sim.world.current() as world:
            payload = [render.agent(agent) for agent in world.ccai.floor.agents]
        size = len(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())

    samples = timed(encode, 20)
    return [
        f"{1000 / statistics.median(samples):.0f}",
        f"{statistics.median(samples):.2f}",
        f"{percentile(samples, 95):.2f}",
        f"{size / 1024:.1f}",
    ], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per endpoint (%(default)s)")
    parser.add_argument("--warmup-hours", type=float, default=2.0, help="sim history (%(default)s)")
    parser.add_argument(
        "--waiting", type=int, default=3, help="contacts put in each of 300 queues (%(default)s)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    config = {**BIG, "rate_limit": False, "speed": 1.0, "start": None}
    with running_sim(**config, warmup_s=args.warmup_hours * 3600) as sim:
        ready = time.perf_counter() - started
        waiting = make_busy(sim, args.waiting)
        rows = []
        clients = {vendor: sim_client(sim, vendor, timeout=60) for vendor in ("ccai", "alo", "evo")}
        for vendor, path, params in endpoints(sim):
            label = f"{vendor} {path}"
            if params:
                label += "?" + "&".join(
                    f"{k}={'…' if 'at[' in k else v}" for k, v in params.items()
                )
            count = args.requests if params.get("All") != "true" else max(10, args.requests // 10)
            rows.append([label, *hammer(clients[vendor], path, params, count)])
        for client in clients.values():
            client.close()
        cells, _ = render_all_agents(sim)
        rows.append(["in-process: render + encode all 5,000 agents", *cells])
    print(
        f"Simulator: {BIG['agents']:,} agents, {BIG['queues']} queues, "
        f"{BIG['interactions_per_day']:,} interactions/day, {args.warmup_hours:g} h of history; "
        f"built and listening in {ready:.1f} s; {waiting:,} contacts waiting in "
        f"{BUSY_QUEUES} queues; {args.requests} sequential requests per endpoint."
    )
    print_table("Loopback HTTP, one kept-alive httpx connection", HEADERS, rows)


if __name__ == "__main__":
    main()
