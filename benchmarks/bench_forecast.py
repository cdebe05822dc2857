"""Does the Erlang forecast say where a queue is heading? Checked against the simulator's day.

The simulator runs with its clock stopped and is moved one interval at a time; at each
interval's start ccmon reads every feed over HTTP (its own sources) and forecasts each queue
(``ccmon/engine/forecast.py``). The interval's measured service level and ASA come from its
contacts (those that arrived in it, ccmon's own formula) read an interval after it ended, so
they have been answered or abandoned by then. Beside the forecast, the naive one: "as the last
interval measured". Prints the mean absolute error per queue.

    python -m benchmarks.bench_forecast [--seed 1] [--hours 6] [--interval-min 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from benchmarks.common import print_table
from ccmon.commands.demo import demo_config
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Agent, Collection, Interaction, Queue, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.forecast import QueueForecast, forecast_floor
from ccmon.engine.metrics import ContactStats, compute
from ccmon.sim.runner import SimServer
from ccmon.still import read_once

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
UNTHROTTLED = {"CCMON_CCAI_RATE": "100", "CCMON_ALO_RATE": "100", "CCMON_EVO_RATE": "100"}
POLICY = SlaPolicy()
MEASURE = replace(POLICY, min_contacts=3)
"""An interval's measured SL needs 3 contacts (the live figure's 5 would leave most of a
small queue's 30-minute intervals without one)."""


@dataclass(frozen=True, slots=True)
class Reading:
    at: datetime
    forecasts: dict[str, QueueForecast]
    contacts: list[Interaction]
    names: dict[str, str]


def read(sim: SimServer) -> Reading:
    at = datetime.fromtimestamp(sim.clock.now(), UTC)
    env = {**sim.env, "CCMON_CONFIG": os.devnull, **UNTHROTTLED}
    sources = build_sources(load_settings(env=env), now=lambda: at)
    read_once(sources)

    def every(collection: Collection) -> list[object]:
        return [r for s in sources for r in s.records(collection)]

    agents = [r for r in every(Collection.AGENTS) if isinstance(r, Agent)]
    queues = [r for r in every(Collection.QUEUES) if isinstance(r, Queue)]
    contacts = [r for r in every(Collection.INTERACTIONS) if isinstance(r, Interaction)]
    sla = [r for r in every(Collection.SLA) if isinstance(r, Sla)]
    metrics = compute(
        now=at, agents=agents, queues=queues, interactions=contacts, sla=sla, policy=POLICY
    )
    names = {q.key: f"{q.source} {q.name} ({q.channel})" for q in queues}
    return Reading(at, forecast_floor(metrics, agents), contacts, names)


def measured(reading: Reading, start: datetime, end: datetime) -> dict[str, ContactStats]:
    """Per queue key, the stats of the contacts that arrived in [start, end)."""
    keys = {name: key for key, name in reading.names.items()}
    stats: dict[str, ContactStats] = {}
    for contact in reading.contacts:
        if contact.created_at is None or not start <= contact.created_at < end:
            continue
        key = keys.get(f"{contact.source} {contact.queue} ({contact.kind})")
        if key is not None:
            stats.setdefault(key, ContactStats()).add(contact, MEASURE)
    return stats


def mae(pairs: Iterable[tuple[float, float]]) -> tuple[float | None, int]:
    errors = [abs(a - b) for a, b in pairs]
    return (statistics.fmean(errors) if errors else None, len(errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hours", type=float, default=6.0)
    parser.add_argument("--interval-min", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=6000, help="CCAI contacts per day")
    args = parser.parse_args()
    step = timedelta(minutes=args.interval_min)
    count = int(args.hours * 60 // args.interval_min)
    config = demo_config(
        args.seed,
        start=START,
        speed=0.0,
        rate_limit=False,
        interactions_per_day=args.per_day,
    )
    readings: list[Reading] = []
    with SimServer(config) as sim:
        for i in range(count + 2):
            if i:
                sim.clock.advance(step.total_seconds())
            readings.append(read(sim))

    # Interval i runs from readings[i].at to readings[i+1].at; measured from readings[i+2].
    sl_pairs: dict[str, list[tuple[float, float]]] = {}
    asa_pairs: dict[str, list[tuple[float, float]]] = {}
    naive_sl: dict[str, list[tuple[float, float]]] = {}
    naive_asa: dict[str, list[tuple[float, float]]] = {}
    previous: dict[str, ContactStats] = {}
    for i in range(count):
        start, end = readings[i].at, readings[i + 1].at
        actual = measured(readings[i + 2], start, end)
        for key, stats in actual.items():
            sl, asa = stats.sl_pct(MEASURE), stats.asa_s
            forecast = readings[i].forecasts.get(key)
            before = previous.get(key)
            if sl is not None and forecast is not None and forecast.sl_pct is not None:
                sl_pairs.setdefault(key, []).append((forecast.sl_pct, sl))
                if before is not None and (last := before.sl_pct(MEASURE)) is not None:
                    naive_sl.setdefault(key, []).append((last, sl))
            if asa is not None and forecast is not None and forecast.asa_s is not None:
                asa_pairs.setdefault(key, []).append((forecast.asa_s, asa))
                if before is not None and before.asa_s is not None:
                    naive_asa.setdefault(key, []).append((before.asa_s, asa))
        previous = actual

    names = readings[0].names
    rows = []
    for key in sorted(set(sl_pairs) | set(asa_pairs), key=lambda k: names.get(k, k)):
        rows.append(_row(names.get(key, key), sl_pairs, naive_sl, asa_pairs, naive_asa, [key]))
    every = list(set(sl_pairs) | set(asa_pairs))
    rows.append(_row("all queues", sl_pairs, naive_sl, asa_pairs, naive_asa, every))
    print_table(
        f"seed {args.seed}, {count} intervals of {args.interval_min} min, {args.per_day} CCAI "
        "contacts a day; mean absolute error (points of SL, seconds of ASA; intervals)",
        ["queue", "n", "SL Erlang", "SL naive", "ASA Erlang", "ASA naive"],
        rows,
    )


Pairs = dict[str, list[tuple[float, float]]]


def _row(
    name: str, sl: Pairs, naive_sl: Pairs, asa: Pairs, naive_asa: Pairs, keys: list[str]
) -> list[str]:
    def over(pairs: Pairs) -> tuple[float | None, int]:
        return mae(pair for key in keys for pair in pairs.get(key, []))

    def shown(value: tuple[float | None, int]) -> str:
        return "—" if value[0] is None else f"{value[0]:.1f} ({value[1]})"

    return [
        name,
        str(over(sl)[1]),
        shown(over(sl)),
        shown(over(naive_sl)),
        shown(over(asa)),
        shown(over(naive_asa)),
    ]


if __name__ == "__main__":
    main()
