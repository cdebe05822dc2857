"""The screen at scale and on the wire.

    python -m benchmarks.bench_ui [--seconds 30]

1. Time to apply one tick of diffs to the panes at 5,000 agents / 500+ queues (the app's
   ``_apply_pending``: table updates, metrics, KPIs, derived columns), headless.
2. Terminal bytes per second in steady state at 160x50, ``ccmon --demo`` in a real pty, in
   truecolor, 256 and 16 colours, against the same app repainting the whole screen every
   tick (``CCMON_NAIVE_REDRAW=1``), as a redraw-everything monitor would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import signal
import time

from benchmarks.bench_engine import load_big
from benchmarks.common import BIG, print_table, row
from benchmarks.pty_spawn import ccmon_command, spawn_in_pty
from benchmarks.sim_process import sim_process
from ccmon.domain import Collection
from ccmon.engine.engine import Engine
from ccmon.runtime import tune_gc
from ccmon.ui.app import CcmonApp
from tests.support.floors import store_of

ROUNDS = 15


async def apply_benchmark() -> None:
    with sim_process(**BIG, rate_limit=False, speed=10.0, warmup_s=3 * 3600, start=None) as env:
        source, polls = await load_big(env)
    app = CcmonApp(Engine([]))
    samples_apply: list[float] = []
    samples_screen: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        store = store_of(app)
        store.replace(Collection.INTERACTIONS, "ccai", source.records(Collection.INTERACTIONS))
        for collection, records in polls[0].items():
            store.replace(collection, "ccai", records)
        app._apply_pending()
        await pilot.pause()
        for index in range(ROUNDS):
            for collection, records in polls[(index + 1) % 2].items():
                store.replace(collection, "ccai", records)
            started = time.perf_counter()
            app._apply_pending()
            applied = time.perf_counter()
            await pilot.pause()
            samples_apply.append((applied - started) * 1000)
            samples_screen.append((time.perf_counter() - started) * 1000)
    agents = len(polls[0][Collection.AGENTS])
    queues = len(polls[0][Collection.QUEUES])
    print_table(
        f"apply one tick of diffs at {agents} agents / {queues} queues (160x50, headless)",
        ["step", "median", "p95", "rounds"],
        [
            row("apply diffs to panes + metrics + KPIs", samples_apply),
            row("… and until the screen is idle again", samples_screen),
        ],
    )


def pty_bytes(seconds: float, warmup: float, extra_env: dict[str, str]) -> float:
    """Bytes per second ``ccmon --demo`` writes to a 160x50 terminal after ``warmup``."""
    process, master = spawn_in_pty([*ccmon_command(), "--demo"], env=extra_env)
    counted = 0
    started = time.monotonic()
    try:
        while (elapsed := time.monotonic() - started) < warmup + seconds:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if elapsed >= warmup:
                    counted += len(chunk)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        os.close(master)
    return counted / seconds


def bytes_benchmark(seconds: float) -> None:
    rows = []
    for label, colours in (
        ("truecolor", "truecolor"),
        ("256 colours", "256"),
        ("16 colours", "standard"),
    ):
        base = {"TEXTUAL_COLOR_SYSTEM": colours, "COLORTERM": "truecolor"}
        ours = pty_bytes(seconds, 12.0, base)
        naive = pty_bytes(seconds, 12.0, {**base, "CCMON_NAIVE_REDRAW": "1"})
        rows.append(
            [
                label,
                f"{ours / 1024:.1f} KiB/s",
                f"{naive / 1024:.1f} KiB/s",
                f"1/{naive / ours:.1f}" if ours else "-",
            ]
        )
    print_table(
        f"terminal bytes/s, steady state, 160x50, ccmon --demo, {seconds:.0f} s after 12 s",
        ["colours", "ccmon", "full redraw every tick", "ratio"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    tune_gc()
    asyncio.run(apply_benchmark())
    bytes_benchmark(args.seconds)


if __name__ == "__main__":
    main()
