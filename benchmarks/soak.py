"""Soak: the live screen for an hour against a big floor while sources fail and recover.

    python -m benchmarks.soak [--minutes 60] [--agents 5000] [--queues 500]

The TUI runs headless (``App.run_test``) in this process with ccmon's production settings
(CCAI at 1 request/second, default intervals, timeouts, retries and backoff); the simulator
runs in another process (so RSS is ccmon's alone) at real speed with its real rate limits.
The run is cut into phases: a healthy floor, then faults switched on for one phase and off
for the next (connection refused, random 5xx with a slow source, a 429 storm with an HTML
error page, 429s without Retry-After with malformed JSON, hostile and wrongly typed data).
Once a second it samples resident memory, asyncio tasks, the app's pending diff events and
the rate limiters' queues, and the data age of every live feed; per phase it prints those
and the requests each vendor saw, counting any the simulator rejected for rate (there
must be none).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from benchmarks.common import percentile, print_table, rss_mb

ADMIN_TOKEN = "soak-admin-token"
LIVE_FEEDS = ("ccai.agent_status", "ccai.queue_status", "evo.sessions", "alo.actions")
Faults = dict[str, tuple[str, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    faults: Faults = field(default_factory=dict)


PHASES = (
    Phase("first fill, healthy"),
    Phase("healthy"),
    Phase("ccai refused", {"ccai": ("down", {})}),
    Phase("recovering"),
    Phase(
        "ccai 30% 5xx, evo slow",
        {"ccai": ("error5xx", {"probability": 0.3}), "evo": ("slow", {"delay_s": 15})},
    ),
    Phase("recovering"),
    Phase(
        "alo 429 storm, ccai HTML 502",
        {"alo": ("ratelimit", {"retry_after": True}), "ccai": ("html", {})},
    ),
    Phase("recovering"),
    Phase(
        "ccai 429 no Retry-After, evo bad JSON",
        {"ccai": ("ratelimit", {"retry_after": False}), "evo": ("badjson", {})},
    ),
    Phase("recovering"),
    Phase(
        "hostile ccai+alo, evo wrong types",
        {"ccai": ("hostile", {}), "alo": ("hostile", {}), "evo": ("wrongtype", {})},
    ),
    Phase("healthy"),
)


# -- the simulator, in its own process ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SimHandle:
    env: dict[str, str]
    admin: httpx.Client

    def set_faults(self, faults: Faults) -> None:
        for vendor, (kind, params) in faults.items():
            self.admin.post("/faults", json={"vendor": vendor, "kind": kind, **params})

    def clear_faults(self) -> None:
        self.admin.delete("/faults")

    def take_requests(self) -> list[dict[str, Any]]:
        """The request log since the last call (it is emptied)."""
        records: list[dict[str, Any]] = self.admin.get("/requests").json()
        self.admin.delete("/requests")
        return records


@contextmanager
def simulator(**config: Any) -> Iterator[SimHandle]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.soak", "--serve-sim", json.dumps(config)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = json.loads(process.stdout.readline())
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(base_url=started["admin"], headers=headers, timeout=60) as admin:
            yield SimHandle(started["env"], admin)
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve_sim(config: dict[str, Any]) -> None:
    from ccmon.sim.config import SimConfig
    from ccmon.sim.runner import SimServer

    with SimServer(SimConfig(admin_token=ADMIN_TOKEN, **config)) as sim:
        print(json.dumps({"env": sim.env, "admin": sim.admin_url}), flush=True)
        while True:
            time.sleep(3600)


# -- sampling -------------------------------------------------------------------------------------
@dataclass(slots=True)
class PhaseStats:
    name: str
    seconds: float = 0.0
    rss: list[float] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    """Diff events waiting for the app's next flush."""
    waiting: list[int] = field(default_factory=list)
    """Requests queued at the sources' rate limiters."""
    ages: dict[str, list[float]] = field(default_factory=dict)
    health: dict[str, set[str]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    rejected_for_rate: int = 0
    records: dict[str, int] = field(default_factory=dict)


async def run_soak(
    minutes: float, agents: int, queues: int, phases: Sequence[Phase] = PHASES
) -> list[PhaseStats]:
    from ccmon.commands.registry import build_sources
    from ccmon.config.load import load_settings
    from ccmon.engine.engine import Engine
    from ccmon.runtime import tune_gc
    from ccmon.ui.app import CcmonApp

    tune_gc()
    phase_s = minutes * 60 / len(phases)
    floor = {
        "agents": agents,
        "queues": queues,
        "interactions_per_day": agents * 4,
        "speed": 1.0,
        "start": None,
        "seed": 11,
    }
    results: list[PhaseStats] = []
    with simulator(**floor) as sim:
        settings = load_settings(env={**sim.env, "CCMON_CONFIG": os.devnull})
        engine = Engine(build_sources(settings))
        app = CcmonApp(engine)
        async with app.run_test(size=(160, 50)):
            sim.take_requests()
            for phase in phases:
                sim.set_faults(phase.faults)
                stats = PhaseStats(phase.name)
                started = time.monotonic()
                while (elapsed := time.monotonic() - started) < phase_s:
                    await asyncio.sleep(min(1.0, phase_s - elapsed))
                    sample(stats, app, engine)
                stats.seconds = time.monotonic() - started
                sim.clear_faults()
                for record in sim.take_requests():
                    vendor = record["vendor"]
                    stats.requests[vendor] = stats.requests.get(vendor, 0) + 1
                    stats.rejected_for_rate += bool(record["rate_limited"])
                stats.records = {c.value: n for c, n in engine.collections().items()}
                results.append(stats)
                print(f"  {phase.name}: done", file=sys.stderr, flush=True)
    return results


def sample(stats: PhaseStats, app: Any, engine: Any) -> None:
    stats.rss.append(rss_mb())
    stats.tasks.append(len(asyncio.all_tasks()))
    stats.pending.append(len(app._pending))
    stats.waiting.append(sum(source.client.limiter.waiting for source in engine.sources))
    for feed in LIVE_FEEDS:
        age = engine.feed_age(feed)
        if age is not None:
            stats.ages.setdefault(feed, []).append(age)
    for health in engine.health():
        stats.health.setdefault(health.source, set()).add(health.health.value)


# -- reporting ------------------------------------------------------------------------------------
def _age(values: list[float] | None) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.1f}/{percentile(values, 95):.1f}"


def report(results: Sequence[PhaseStats], minutes: float, agents: int, queues: int) -> None:
    first, last = results[0], results[-1]
    all_rss = [value for stats in results for value in stats.rss]
    print_table(
        f"soak: {minutes:g} min, {agents} agents / {queues} queues, TUI headless 160x50, "
        "production settings (CCAI 1 req/s)",
        ["", "start", "end", "max"],
        [
            ["RSS", f"{first.rss[0]:.0f} MB", f"{last.rss[-1]:.0f} MB", f"{max(all_rss):.0f} MB"],
            [
                "asyncio tasks",
                str(first.tasks[0]),
                str(last.tasks[-1]),
                str(max(t for s in results for t in s.tasks)),
            ],
        ],
    )
    rows = []
    for stats in results:
        rows.append(
            [
                stats.name,
                f"{stats.seconds:.0f} s",
                f"{stats.rss[0]:.0f}→{stats.rss[-1]:.0f} ({max(stats.rss):.0f})",
                f"{stats.tasks[0]}→{stats.tasks[-1]} ({max(stats.tasks)})",
                f"{max(stats.pending)}/{max(stats.waiting)}",
                *(_age(stats.ages.get(feed)) for feed in LIVE_FEEDS),
                " ".join(f"{v}:{n}" for v, n in sorted(stats.requests.items())),
                str(stats.rejected_for_rate),
                "; ".join(
                    f"{s} {'/'.join(sorted(h - {'starting'}) or ['starting'])}"
                    for s, h in sorted(stats.health.items())
                ),
            ]
        )
    print_table(
        "per phase (ages: median/p95 seconds; pending: app diff events / requests queued at the "
        "limiters, max)",
        [
            "phase",
            "length",
            "RSS MB start→end (max)",
            "tasks start→end (max)",
            "pending",
            *(f"age {feed}" for feed in LIVE_FEEDS),
            "requests",
            "429 by sim",
            "health seen",
        ],
        rows,
    )
    sizes = ", ".join(f"{name} {count}" for name, count in last.records.items())
    print(f"\nrecords held at the end: {sizes}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--queues", type=int, default=500)
    parser.add_argument("--serve-sim", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_sim:
        serve_sim(json.loads(args.serve_sim))
        return
    gc.collect()
    results = asyncio.run(run_soak(args.minutes, args.agents, args.queues))
    report(results, args.minutes, args.agents, args.queues)


if __name__ == "__main__":
    main()
