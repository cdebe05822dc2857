"""Start-up: how long until ccmon answers, and until the demo shows data.

    python -m benchmarks.bench_startup [--runs 20] [--demo-runs 10]

1. ``ccmon --version`` and ``ccmon --help``, each a fresh process (the installed console
   script), wall time from spawn to exit; ``python -c pass`` alongside, the floor no
   command can go under. Goal: 0.15 s (Textual and httpx are imported only by commands
   that need them).
2. ``ccmon --demo`` in a real 160x50 pseudo-terminal: wall time from spawn until the first
   screen is drawn, and until the agents pane shows agent rows (their state labels reach
   the terminal). That includes starting the simulator. Goal: 2 s.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.common import percentile, print_table
from benchmarks.pty_spawn import ccmon_command, clean_env, spawn_in_pty

AGENT_ROW = tuple(label.encode() for label in ("◉ In c", "● Available", "◐ Wrap-up", "○ Offline"))
"""State labels that only agent rows show (the KPI strip says "Available" without ●)."""
FIRST_SCREEN = b"Agents"


def wall_times(argv: Sequence[str], runs: int) -> list[float]:
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=clean_env(), check=True)  # warm caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, env=clean_env(), check=True)
        samples.append(time.perf_counter() - started)
    return samples


def demo_first_data(
    timeout: float = 30.0, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Seconds from spawn to the first drawn screen, and to the first agent row (``env``:
    more environment for ccmon)."""
    started = time.perf_counter()
    process, master = spawn_in_pty(
        [*ccmon_command(), "--demo"], env={"COLORTERM": "truecolor", **(env or {})}
    )
    output = bytearray()
    screen = data = float("nan")
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.02)
            if not ready:
                continue
            output.extend(os.read(master, 65536))
            now = time.perf_counter() - started
            if screen != screen and FIRST_SCREEN in output:
                screen = now
            if any(label in output for label in AGENT_ROW):
                data = now
                break
    finally:
        os.write(master, b"q")
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    return screen, data


def row(what: str, command: str, samples: Sequence[float], goal: str) -> list[str]:
    return [
        what,
        f"`{command}`",
        f"{statistics.median(samples):.3f} s",
        f"{percentile(samples, 95):.3f} s",
        str(len(samples)),
        goal,
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--demo-runs", type=int, default=10)
    args = parser.parse_args(argv)
    command = ccmon_command()
    shown = "ccmon" if len(command) == 1 else "python -m ccmon"
    rows = [
        row(
            "interpreter alone",
            "python -c pass",
            wall_times([sys.executable, "-c", "pass"], args.runs),
            "-",
        ),
        row(
            "version",
            f"{shown} --version",
            wall_times([*command, "--version"], args.runs),
            "≤ 0.15 s",
        ),
        row("help", f"{shown} --help", wall_times([*command, "--help"], args.runs), "≤ 0.15 s"),
    ]
    firsts = [demo_first_data() for _ in range(args.demo_runs)]
    rows.append(row("first screen", f"{shown} --demo (160x50 pty)", [s for s, _ in firsts], "-"))
    rows.append(
        row(
            "first data: agent rows on screen",
            f"{shown} --demo (160x50 pty)",
            [d for _, d in firsts],
            "≤ 2 s",
        )
    )
    print_table(
        "start-up, wall time from spawn (each run a fresh process)",
        ["what", "command", "median", "p95", "runs", "goal"],
        rows,
    )


if __name__ == "__main__":
    main()
