"""One hub, many viewers: what the vendor, the viewers and Redis see.

    python -m benchmarks.bench_hub [--seconds 60] [--viewers 1,10,50] [--floor big|demo]

The big floor (the default) is bench_engine's: 5,000 agents, 500 queues, 20,000 contacts a
day. ``--seconds 30`` at the big floor takes about five minutes.

The simulator runs in its own process with the vendors' real rate limits (CCAI 1 request/
second), Redis in another, ``ccmon hub`` in a third, and the viewers (``HubFloor``) in up to
five worker processes. Phases, each ``--seconds`` long after a warm-up:

1. a single local ccmon (an ``Engine`` in this process): data age of CCAI agent and queue
   status, vendor requests per minute;
2. the hub with 1, 10, 50 viewers: vendor requests per minute, 429s, viewer data age (what
   each viewer shows: the hub's feed age plus the time since), publish→viewer delay (from
   the hub's write of an entry to a viewer applying it, the same host's clock), hub CPU and
   RSS, the memory of ccmon's keys in Redis (``MEMORY USAGE``, as ``hub status`` counts it),
   bytes Redis sent per viewer per minute;
3. failover: a second hub stands by, the leader is killed (SIGKILL); seconds until the
   standby's first vendor request, and requests while both were alive.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import BIG, percentile, print_table
from benchmarks.sim_process import sim_process
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.hub.connect import client
from ccmon.hub.keys import HubKeys
from ccmon.hub.status import hub_status
from ccmon.hub.viewer import HubFloor
from tests.support.redis_server import running_redis

FEEDS = ("ccai.agent_status", "ccai.queue_status")
FLOORS: dict[str, dict[str, Any]] = {
    "big": {**BIG, "warmup_s": 3 * 3600},
    "demo": {"agents": 25, "queues": 6},
}
WORKERS = 5


def ccmon_env(env: dict[str, str], **extra: str) -> dict[str, str]:
    own = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    sim = {k: v for k, v in env.items() if k.startswith("CCMON_")}
    return {**own, **sim, "CCMON_CONFIG": os.devnull, **extra}


def vendor_requests(env: dict[str, str], since: float, until: float) -> tuple[int, int]:
    """(requests, 429s) the simulator saw between two ``time.monotonic()`` moments."""
    got = httpx.get(
        f"{env['SIM_ADMIN_URL']}/requests",
        headers={"Authorization": f"Bearer {env['SIM_ADMIN_TOKEN']}"},
        timeout=60,
    ).json()
    window = [r for r in got if since <= r["monotonic_s"] < until]
    return len(window), sum(1 for r in window if r["rate_limited"])


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ages_summary(samples: dict[str, list[float]]) -> list[str]:
    return [
        f"{statistics.median(samples[f]):.2f} / {percentile(samples[f], 95):.2f} s"
        if samples[f]
        else "—"
        for f in FEEDS
    ]


# -- phase 1: one local ccmon ------------------------------------------------------------------
async def local(env: dict[str, str], seconds: float) -> dict[str, list[float]]:
    engine = Engine(build_sources(load_settings(env=ccmon_env(env))))
    samples: dict[str, list[float]] = {f: [] for f in FEEDS}
    async with engine:
        await until(lambda: all(engine.feed_ages().get(f) is not None for f in FEEDS), 600)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(0.1)
            for feed in FEEDS:
                age = engine.feed_ages().get(feed)
                if age is not None:
                    samples[feed].append(age)
    return samples


async def until(condition: Any, within: float) -> None:
    end = time.monotonic() + within
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the first data")
        await asyncio.sleep(0.2)


# -- viewers in worker processes ----------------------------------------------------------------
class TimedFloor(HubFloor):
    """A viewer that notes, for each stream entry it applies, how long ago the hub wrote it."""

    delays: list[float]
    last_delay: float | None = None

    def _apply(self, raw: bytes) -> None:
        super()._apply(raw)
        try:
            line = json.loads(raw)
        except ValueError:
            return
        written = line.get("at", line.get("t")) if isinstance(line, dict) else None
        if isinstance(written, int | float) and self.loaded.is_set():
            self.last_delay = time.time() - written
            self.delays.append(self.last_delay)


async def viewer_worker(url: str, count: int, seconds: float) -> dict[str, list[float]]:
    floors = [TimedFloor(client(url), url=url) for _ in range(count)]
    for floor in floors:
        floor.delays = []
        floor.start()
    samples: dict[str, list[float]] = {f: [] for f in (*FEEDS, "delay", "reloads")}
    try:
        await asyncio.wait_for(asyncio.gather(*(f.loaded.wait() for f in floors)), 300)
        # While the others in this process loaded, the first ones fell behind the stream:
        # the window starts once each has caught up (its latest entry under a second old).
        await until(
            lambda: all(f.last_delay is not None and f.last_delay < 1.0 for f in floors), 120
        )
        for floor in floors:
            floor.delays.clear()  # from now on: the measured window
        loads = sum(floor.reloads for floor in floors)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(0.1)
            for floor in floors:
                ages = floor.feed_ages()
                for feed in FEEDS:
                    age = ages.get(feed)
                    if age is not None:
                        samples[feed].append(age)
        for floor in floors:
            samples["delay"].extend(floor.delays)
        samples["reloads"].append(sum(floor.reloads for floor in floors) - loads)
    finally:
        for floor in floors:
            await floor.stop()
    return samples


def run_viewers(url: str, viewers: int, seconds: float) -> dict[str, list[float]]:
    workers = min(WORKERS, viewers)
    shares = [viewers // workers + (1 if i < viewers % workers else 0) for i in range(workers)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_hub", "--worker", url, str(n), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in shares
    ]
    merged: dict[str, list[float]] = {f: [] for f in (*FEEDS, "delay", "reloads")}
    for process in processes:
        out, _ = process.communicate(timeout=seconds + 600)
        for feed, values in json.loads(out).items():
            merged[feed].extend(values)
    return merged


# -- the hub -------------------------------------------------------------------------------
def start_hub(env: dict[str, str], url: str, state: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ccmon", "hub", "--hub", url],
        env=ccmon_env(
            env,
            CCMON_HUB_LEASE_TTL_S="10",
            XDG_STATE_HOME=str(state),
            CCMON_HISTORY_PATH=str(state / "history.sqlite3"),  # never the user's own
        ),
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_line(process: subprocess.Popen[str], words: str, within: float) -> float:
    assert process.stderr is not None
    end = time.monotonic() + within
    while time.monotonic() < end:
        line = process.stderr.readline()
        if words in line:
            return time.monotonic()
    raise SystemExit(f"the hub never said {words!r}")


async def redis_info(url: str) -> dict[str, Any]:
    redis = client(url)
    try:
        info: dict[str, Any] = await redis.info()
        return info
    finally:
        await redis.aclose()


async def ccmon_memory(url: str) -> int:
    """Bytes held by ccmon's keys (what ``ccmon hub status`` reports)."""
    redis = client(url)
    try:
        return (await hub_status(redis, HubKeys())).memory_bytes
    finally:
        await redis.aclose()


def delay_summary(delays: list[float]) -> str:
    if not delays:
        return "—"
    return f"{1000 * statistics.median(delays):.0f} / {1000 * percentile(delays, 95):.0f} ms"


def hub_phases(
    env: dict[str, str], url: str, state: Path, viewers: list[int], seconds: float
) -> list[list[str]]:
    hub = start_hub(env, url, state)
    rows = []
    try:
        wait_line(hub, "leads", 60)
        asyncio.run(until_viewer_has_data(url))
        for n in viewers:
            before_info = asyncio.run(redis_info(url))
            cpu0, t0 = cpu_s(hub.pid), time.monotonic()
            samples = run_viewers(url, n, seconds)
            t1 = time.monotonic()
            cpu1 = cpu_s(hub.pid)
            after_info = asyncio.run(redis_info(url))
            memory = asyncio.run(ccmon_memory(url))
            requests, limited = vendor_requests(env, t0, t1)
            sent = after_info["total_net_output_bytes"] - before_info["total_net_output_bytes"]
            minutes = (t1 - t0) / 60
            rows.append(
                [
                    str(n),
                    f"{requests / minutes:.0f}",
                    str(limited),
                    *ages_summary(samples),
                    delay_summary(samples["delay"]),
                    f"{sum(samples['reloads']):.0f}",
                    f"{100 * (cpu1 - cpu0) / (t1 - t0):.0f} %",
                    f"{rss_mb(hub.pid):.0f} MB",
                    f"{memory / 2**20:.1f} MB",
                    f"{sent / n / minutes / 1024:.0f} KiB",
                ]
            )
    finally:
        hub.terminate()
        hub.wait(30)
    return rows


async def until_viewer_has_data(url: str) -> None:
    floor = HubFloor(client(url), url=url)
    floor.start()
    try:
        await until(lambda: all(floor.feed_ages().get(f) is not None for f in FEEDS), 600)
    finally:
        await floor.stop()


def failover(env: dict[str, str], url: str, state: Path) -> list[str]:
    leader = start_hub(env, url, state)
    standby: subprocess.Popen[str] | None = None
    try:
        wait_line(leader, "leads", 60)
        standby = start_hub(env, url, state)
        wait_line(standby, "standing by", 60)
        both_from = time.monotonic()
        time.sleep(20)
        killed = time.monotonic()
        leader.send_signal(signal.SIGKILL)
        took = wait_line(standby, "leads", 60)
        time.sleep(5)
        got = httpx.get(
            f"{env['SIM_ADMIN_URL']}/requests",
            params={"vendor": "ccai"},
            headers={"Authorization": f"Bearer {env['SIM_ADMIN_TOKEN']}"},
            timeout=60,
        ).json()
        first = min((r["monotonic_s"] for r in got if r["monotonic_s"] > killed), default=None)
        both, limited = vendor_requests(env, both_from, killed)
        return [
            f"{took - killed:.1f} s",
            "—" if first is None else f"{first - killed:.1f} s",
            f"{both / ((killed - both_from) / 60):.0f}/min",
            str(limited),
        ]
    finally:
        for process in (leader, standby):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--viewers", default="1,10,50")
    parser.add_argument("--floor", choices=sorted(FLOORS), default="big")
    parser.add_argument("--worker", nargs=3, metavar=("URL", "COUNT", "SECONDS"))
    args = parser.parse_args()
    if args.worker:
        url, count, seconds = args.worker
        print(json.dumps(asyncio.run(viewer_worker(url, int(count), float(seconds)))))
        return
    viewers = [int(n) for n in args.viewers.split(",")]
    started = time.monotonic()
    with (
        sim_process(**FLOORS[args.floor], speed=1.0, start=None) as env,
        tempfile.TemporaryDirectory() as tmp,
        running_redis(Path(tmp)) as redis,
    ):
        state = Path(tmp) / "state"
        t0 = time.monotonic()
        samples = asyncio.run(local(env, args.seconds))
        requests, limited = vendor_requests(env, t0, time.monotonic())
        minutes = (time.monotonic() - t0) / 60
        print_table(
            f"a single local ccmon, {args.floor} floor, {args.seconds:.0f} s "
            "(data age median / p95)",
            ["vendor req/min", "429s", *FEEDS],
            [[f"{requests / minutes:.0f}", str(limited), *ages_summary(samples)]],
        )
        rows = hub_phases(env, redis.url, state, viewers, args.seconds)
        print_table(
            f"one ccmon hub, {args.floor} floor, {args.seconds:.0f} s per row "
            "(viewer data age median / p95)",
            [
                "viewers",
                "vendor req/min",
                "429s",
                *FEEDS,
                "publish→viewer",
                "reloads",
                "hub CPU",
                "hub RSS",
                "ccmon keys in Redis",
                "Redis bytes/viewer/min",
            ],
            rows,
        )
        print_table(
            "failover: the leader SIGKILLed, lease TTL 10 s",
            [
                "standby leads after",
                "its first vendor request after",
                "req/min, two hubs up",
                "429s",
            ],
            [failover(env, redis.url, state)],
        )
    print(f"(the whole run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
