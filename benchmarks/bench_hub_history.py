"""The hub's history for its viewers at the big floor: a full day, 678 queues.

    python -m benchmarks.bench_hub_history [--contacts 20000] [--queues 678] [--rounds 11]

A store holding a full day (every contact; "now" is 23:58 of that day), a recorder
reading every queue's rows (one grouped query), and a real redis-server: the writer
thread's refresh, the leader's publish (encoding in a worker thread, then one MULTI) the
first time and per refresh after one new contact, the history keys' size in Redis
(``MEMORY USAGE``), and a viewer's read.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, timedelta
from functools import partial
from pathlib import Path

from benchmarks.bench_history import DAY, contacts
from benchmarks.common import percentile, print_table
from ccmon.domain import Collection
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore, contact_row
from ccmon.hub.connect import client
from ccmon.hub.history_publisher import HistoryPublisher
from ccmon.hub.history_viewer import HubHistory
from ccmon.hub.keys import HubKeys
from tests.support.redis_server import running_redis


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {percentile(values, 95):.1f} ms"


async def until(condition: Callable[[], bool]) -> None:
    while not condition():  # noqa: ASYNC110 - what is timed is how soon it holds
        await asyncio.sleep(0.002)


def changed(recorder: HistoryRecorder, changes: int) -> bool:
    return recorder.changes != changes


def read_again(view: HubHistory, reads: int, stamp: str | None) -> bool:
    return view.reads > reads and view._have == stamp


async def run(path: Path, url: str, n: int, queues: int, rounds: int) -> list[list[str]]:
    rng = random.Random(1)
    day_contacts = [
        dataclasses.replace(c, queue=f"Main/Q{int(c.id) % queues}") for c in contacts(n, rng, DAY)
    ]
    day = DAY
    policy = SlaPolicy()
    store = HistoryStore(path)
    store.write(contacts=[r for c in day_contacts if (r := contact_row(c, policy))])
    started = time.perf_counter()
    by_queue = store.intervals(
        day, day + timedelta(days=1), interval_min=15, policy=policy, by_queue=True
    )
    query_ms = 1000 * (time.perf_counter() - started)
    store.close()
    late = DAY + timedelta(hours=23, minutes=58)  # the whole day recorded
    engine = Engine([], now=lambda: late)
    options = HistoryOptions(path=path, policy=policy, tz=UTC)
    recorder = HistoryRecorder(engine, options, refresh_s=0.0, every_queue=True)
    recorder.start()
    await recorder.wait_loaded(120)
    keys = HubKeys()
    redis = client(url)
    out = HistoryPublisher(recorder, keys, "bench")
    await out.publish(redis)
    first = [out.stats.encode_ms, out.stats.write_ms, out.stats.bytes / 1024]
    memory = 0
    count = 0
    async for key in redis.scan_iter(match=f"{keys.history}*", count=1000):
        memory += int(await redis.memory_usage(key) or 0)
        count += 1
    view = HubHistory(client(url), keys, now=engine.now)
    view.start()
    started = time.perf_counter()
    view.told(out.stamp)
    await until(lambda: view.reads > 0 and view.loaded)
    first_read_ms = 1000 * (time.perf_counter() - started)
    encode, write, sent, reads = [], [], [], []
    live = day_contacts[-1]
    for i in range(rounds):
        changes = recorder.changes
        new = dataclasses.replace(live, id=f"new{i}", created_at=late)
        engine.store.replace(Collection.INTERACTIONS, "ccai", [new])  # a contact arrives
        await until(partial(changed, recorder, changes))
        await out.publish(redis)
        encode.append(out.stats.encode_ms)
        write.append(out.stats.write_ms)
        sent.append(out.stats.bytes / 1024)
        reads_before = view.reads
        started = time.perf_counter()
        view.told(out.stamp)
        await until(partial(read_again, view, reads_before, out.stamp))
        reads.append(1000 * (time.perf_counter() - started))
    await view.stop()
    await view.redis.aclose()
    await redis.aclose()
    await recorder.stop()
    today = recorder.today()
    rows = sum(len(r) for r in today.queues.values()) if today else 0
    return [
        [
            f"{len(day_contacts):,}",
            f"{len(today.queues) if today else 0} / {rows:,}",
            f"{query_ms:.0f} ms ({len(by_queue):,} rows)",
            f"{first[0]:.0f} + {first[1]:.0f} ms, {first[2]:.0f} KiB",
            f"{ms(encode)} + {ms(write)}",
            f"{statistics.median(sent):.1f} KiB",
            f"{memory / 1024:.0f} KiB in {count} keys",
            f"{first_read_ms:.0f} ms",
            ms(reads),
        ]
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--queues", type=int, default=678)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_redis(Path(tmp)) as redis:
        rows = asyncio.run(
            run(Path(tmp) / "h.sqlite3", redis.url, args.contacts, args.queues, args.rounds)
        )
    print_table(
        "the hub's history for viewers, a full day at the big floor",
        [
            "contacts today",
            "queues / their rows",
            "grouped query",
            "first publish (encode + write)",
            "publish per refresh, median / p95 (encode + write)",
            "written per refresh",
            "history keys in Redis",
            "viewer first read",
            "viewer read per refresh",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
