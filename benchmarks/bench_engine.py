"""The engine at scale and at the CCAI rate.

    python -m benchmarks.bench_engine [--seconds 60] [--floor big|demo] [--skip-tick]

1. diff + metrics per tick at 5,000 agents / 500 queues / 20,000 interactions: the store
   replaces the agents and queues collections with a newer poll (a real diff) and the floor
   metrics are recomputed over everything;
2. resident memory of this process holding all of it (the simulator runs in another one);
3. data age per feed at the production settings (CCAI 1 request/second, default intervals)
   against the big floor (or ``--floor demo``: 25 agents, 6 queues), the simulator in its
   own process enforcing the vendors' rate limits, sampled 10 x a second for ``--seconds``
   after the first fill. The CCAI roster is refreshed every 600 s, 50 pages at the big
   floor: ``--seconds 720`` includes one refresh.
4. ``--first-walk``: the live feeds during the first roster walk at the big floor (50 pages
   at 1 request/second): when each ``agent_status``/``queue_status`` poll completed, the
   longest gap between two, and when the walk ended.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from benchmarks.common import BIG, percentile, print_table, row, rss_mb, time_ms
from benchmarks.sim_process import sim_process
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Agent, Collection, Interaction, Queue, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.engine.metrics import ContactSummary, compute, summarize_contacts
from ccmon.engine.store import Store
from ccmon.runtime import tune_gc
from ccmon.sources.ccai.source import CcaiSource

ROUNDS = 21


def settings_env(env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**env, "CCMON_CONFIG": os.devnull, **extra}


async def load_big(env: dict[str, str]) -> tuple[CcaiSource, list[dict[Collection, list[Any]]]]:
    """Two successive polls of the big floor (a few simulated seconds apart)."""
    settings = load_settings(
        env=settings_env(
            env,
            CCMON_CCAI_RATE="100",
            CCMON_CCAI_BURST="10",
            CCMON_CCAI_HISTORY_MINUTES="1440",
            CCMON_CCAI_TIMEOUT="60",
        )
    )
    [source] = [s for s in build_sources(settings) if isinstance(s, CcaiSource)]
    for feed in source.feeds():
        await feed.run(0.0)
    first = {c: list(source.records(c)) for c in (Collection.AGENTS, Collection.QUEUES)}
    await asyncio.sleep(3.0)
    await source.poll_agent_status()
    await source.poll_queue_status()
    second = {c: list(source.records(c)) for c in (Collection.AGENTS, Collection.QUEUES)}
    await source.aclose()
    return source, [first, second]


def tick_benchmark() -> None:
    with sim_process(**BIG, rate_limit=False, speed=10.0, warmup_s=24 * 3600, start=None) as env:
        before = rss_mb()
        source, polls = asyncio.run(load_big(env))
    store = Store()
    interactions = list(source.records(Collection.INTERACTIONS))
    store.replace(Collection.INTERACTIONS, "ccai", interactions)
    store.replace(Collection.SLA, "ccai", source.records(Collection.SLA))
    for collection, records in polls[0].items():
        store.replace(collection, "ccai", records)
    state = {"next": 1}
    sizes: list[int] = []

    def diff_tick() -> None:
        poll = polls[state["next"]]
        state["next"] ^= 1
        sizes.append(sum(store.replace(c, "ccai", r).size for c, r in poll.items()))

    policy = SlaPolicy(window_min=24 * 60)

    def summary() -> ContactSummary:
        return summarize_contacts(
            store.of_type(Collection.INTERACTIONS, Interaction),
            now=datetime.now(UTC),
            policy=policy,
        )

    contacts = summary()

    def metrics_tick() -> None:
        compute(
            now=datetime.now(UTC),
            agents=store.of_type(Collection.AGENTS, Agent),
            queues=store.of_type(Collection.QUEUES, Queue),
            contacts=contacts,
            sla=store.of_type(Collection.SLA, Sla),
            policy=policy,
        )

    def both() -> None:
        diff_tick()
        metrics_tick()

    diff_ms = time_ms(diff_tick, ROUNDS)
    metrics_ms = time_ms(metrics_tick, ROUNDS)
    both_ms = time_ms(both, ROUNDS)
    summary_ms = time_ms(summary, ROUNDS)
    agents = len(polls[0][Collection.AGENTS])
    queues = len(polls[0][Collection.QUEUES])
    print_table(
        f"one tick at {agents} agents / {queues} queues / {len(interactions)} interactions "
        f"(median diff size {statistics.median(sizes):.0f} records)",
        ["step", "median", "p95", "rounds"],
        [
            row("diff agents + queues (store.replace)", diff_ms),
            row("metrics: agents, queues, SLA (contact summary reused)", metrics_ms),
            row("tick: diff + metrics", both_ms),
            row("contact summary, when calls/chats changed (every 30 s)", summary_ms),
        ],
    )
    print_table(
        "resident memory of this process (the simulator runs in another one)",
        ["when", "RSS"],
        [["before loading", f"{before:.0f} MB"], ["holding the big floor", f"{rss_mb():.0f} MB"]],
    )


FLOORS = {
    "big": {**BIG, "warmup_s": 3 * 3600},
    "demo": {"agents": 25, "queues": 6},
}


async def staleness(seconds: float, floor: str) -> None:
    with sim_process(**FLOORS[floor], speed=1.0, start=None) as env:
        sources = build_sources(load_settings(env=settings_env(env)))
        engine = Engine(sources)
        async with engine:
            first_fill = await until_every_feed_ran(engine)
            samples: dict[str, list[float]] = {s.feed.id: [] for s in engine.feed_states()}
            for _ in range(int(seconds * 10)):
                await asyncio.sleep(0.1)
                for state in engine.feed_states():
                    age = engine.feed_age(state.feed.id)
                    if age is not None:
                        samples[state.feed.id].append(age)
            runs = {s.feed.id: s.runs for s in engine.feed_states()}
            intervals = {s.feed.id: s.feed.interval_s for s in engine.feed_states()}
            rejected = sum(source.client.counters.rate_limited for source in sources)
    rows = [
        [
            feed,
            f"{intervals[feed]:g} s",
            f"{statistics.median(v):.2f} s",
            f"{percentile(v, 95):.2f} s",
            str(runs[feed]),
        ]
        for feed, v in samples.items()
        if v
    ]
    print_table(
        f"data age per feed at the default rates (CCAI 1 req/s), {floor} floor, {seconds:.0f} s "
        f"after the first fill ({first_fill:.0f} s); requests rejected for rate (429): {rejected}",
        ["feed", "interval", "median age", "p95 age", "polls"],
        rows,
    )


async def first_walk(limit_s: float) -> None:
    """Live-feed polls while the first 5,000-agent roster walk runs (or ``limit_s`` passes)."""
    with sim_process(**FLOORS["big"], speed=1.0, start=None) as env:
        sources = build_sources(load_settings(env=settings_env(env)))
        engine = Engine(sources)
        live = ("ccai.agent_status", "ccai.queue_status")
        done: dict[str, list[float]] = {feed: [] for feed in live}
        started = time.monotonic()
        walked: float | None = None
        async with engine:
            states = {s.feed.id: s for s in engine.feed_states()}
            seen = dict.fromkeys(live, 0)
            while (now := time.monotonic() - started) < limit_s and walked is None:
                await asyncio.sleep(0.05)
                for feed in live:
                    if states[feed].runs > seen[feed]:
                        seen[feed] = states[feed].runs
                        done[feed].append(now)
                if states["ccai.agents"].runs:
                    walked = now
            rejected = sum(source.client.counters.rate_limited for source in sources)
    rows = []
    for feed, times in done.items():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        rows.append(
            [
                feed,
                str(len(times)),
                ", ".join(f"{t:.1f}" for t in times[:6]),
                f"{statistics.median(gaps):.1f} s" if gaps else "-",
                f"{max(gaps):.1f} s at {times[gaps.index(max(gaps))]:.0f} s" if gaps else "-",
                str(sum(g > 3 * 2.5 for g in gaps)),
            ]
        )
    end = f"{walked:.0f} s" if walked is not None else f"not done in {limit_s:.0f} s"
    print_table(
        f"live feeds during the first roster walk (5,000 agents, CCAI 1 req/s); walk ended: "
        f"{end}; 429s: {rejected}",
        ["feed", "polls", "first polls done at (s)", "median gap", "longest gap", "gaps > 7.5 s"],
        rows,
    )


async def until_every_feed_ran(engine: Engine) -> float:
    """Seconds until every feed has completed once (the first fill is not steady state)."""
    started = time.monotonic()
    for _ in range(1200):  # ten minutes at most
        if all(state.runs for state in engine.feed_states()):
            break
        await asyncio.sleep(0.5)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--floor", choices=sorted(FLOORS), default="big")
    parser.add_argument("--skip-tick", action="store_true", help="only the data-age table")
    parser.add_argument(
        "--first-walk", action="store_true", help="only the live feeds during the first walk"
    )
    args = parser.parse_args()
    tune_gc()
    if args.first_walk:
        asyncio.run(first_walk(args.seconds))
        return
    if not args.skip_tick:
        tick_benchmark()
    asyncio.run(staleness(args.seconds, args.floor))


if __name__ == "__main__":
    main()
