"""Timing and table helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tests.support.sim import running_sim, sim_client

BIG = {"agents": 5000, "queues": 500, "interactions_per_day": 20_000}


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_ms(fn: Callable[[], Any], rounds: int) -> list[float]:
    fn()  # warm caches and lazy imports
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def row(name: str, samples: Sequence[float], unit: str = "ms") -> list[str]:
    return [
        name,
        f"{statistics.median(samples):.2f} {unit}",
        f"{percentile(samples, 95):.2f} {unit}",
        str(len(samples)),
    ]


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


@contextmanager
def big_floor(**overrides: Any) -> Iterator[Any]:
    """The simulator at 5,000 agents / 500 queues / 20,000 interactions a day, unthrottled,
    warmed up for a whole day so the interaction history is full."""
    config = {
        **BIG,
        "rate_limit": False,
        "speed": 1.0,
        "warmup_s": 24 * 3600,
        "start": None,
        **overrides,
    }
    with running_sim(**config) as sim:
        yield sim


def fetch_all(sim: Any, vendor: str, path: str, params: dict[str, Any] | None = None) -> Any:
    """Every page of a CCAI list (or the one body of anything else), as parsed JSON."""
    with sim_client(sim, vendor, timeout=60) as client:
        if vendor != "ccai" or path.endswith("current_status"):
            return client.get(path, params=params).json()
        rows: list[Any] = []
        page = 1
        while True:
            batch = client.get(path, params={**(params or {}), "page": page, "per": 100}).json()
            rows.extend(batch)
            if len(batch) < 100:
                return rows
            page += 1


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
