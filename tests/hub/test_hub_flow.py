"""Simulator → engine → hub publisher → a real Redis → viewers: what each viewer holds is
what the engine holds, a viewer needs no vendor access, and lost track means a full reload."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Agent, Collection, Interaction, Queue
from ccmon.engine.engine import Engine
from ccmon.engine.health import Health
from ccmon.engine.store import Store
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.hub.connect import client
from ccmon.hub.keys import HubKeys
from ccmon.hub.publisher import HubPublisher
from ccmon.hub.runner import HubRunner, Role
from ccmon.hub.viewer import HubFloor
from ccmon.privacy import mask
from ccmon.sim.runner import SimServer
from tests.support.redis_server import RedisServer
from tests.support.sim import sim_now
from tests.support.waiting import eventually

FAST = {"CCMON_ALO_RATE": "20", "CCMON_EVO_RATE": "20"}
"""CCAI keeps its real 1 request/second, as the simulator enforces it."""


def agents_of(floor: Engine | HubFloor) -> dict[str, tuple[str, str]]:
    return {a.key: (a.name, a.state.value) for a in floor.records(Collection.AGENTS, Agent)}


@contextlib.asynccontextmanager
async def hub(
    sim: SimServer,
    redis: RedisServer,
    *,
    redis_client: Redis | None = None,
    env: dict[str, str] | None = None,
    history: Path | None = None,
    **kw: object,
) -> AsyncIterator[HubPublisher]:
    """A hub publisher over an engine on the simulated clock; with ``history``, its recorder
    at that path refreshes every 0.3 s and keeps every queue's rows, as ``ccmon hub`` runs
    it."""
    settings = load_settings(env={"CCMON_CONFIG": os.devnull, **sim.env, **FAST, **(env or {})})
    now = sim_now(sim)  # the simulated world's clock: its contacts are in its own day
    engine = Engine(build_sources(settings, now=now), now=now)
    if history is not None:
        options = HistoryOptions(path=history, policy=settings.sla.policy())
        recorder = HistoryRecorder(engine, options, flush_s=0.05, refresh_s=0.3, every_queue=True)
        engine.companions.append(recorder)
        kw["history"] = recorder
    writer = redis_client or client(redis.url)
    publisher = HubPublisher(engine, engine.store, writer, url=redis.url, **kw)  # type: ignore[arg-type]
    publisher.start()
    engine.start()
    task = asyncio.get_running_loop().create_task(publisher.run())
    try:
        yield publisher
    finally:
        publisher.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await engine.stop()
        await publisher.redis.aclose()


def slots_of(store: Store) -> dict[tuple[Collection, str], dict[str, Any]]:
    """Every non-empty (collection, source) slot's records by key."""
    return {(c, s): records for c, s, records in store.slots() if records}


def _same_pending(floor: HubFloor, engine: Engine) -> bool:
    return floor.pending() == engine.pending()


def health_is(floor: HubFloor, words: list[Health]) -> bool:
    return [h.health for h in floor.health()] == words


def viewer(redis: RedisServer, prefix: str = "ccmon") -> HubFloor:
    return HubFloor(client(redis.url), url=redis.url, keys=HubKeys(prefix))


async def test_viewers_hold_what_the_engine_holds_and_follow_its_changes(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's first agents", 20)
        viewers = [viewer(redis_server) for _ in range(3)]
        for v in viewers:
            v.start()

        def holds_the_engine_s(v: HubFloor) -> bool:
            return agents_of(v) == agents_of(engine) and v.collections() == engine.collections()

        try:
            for v in viewers:
                await eventually(partial(holds_the_engine_s, v), "the engine's records", 20)
            # The simulator's 30x clock moves agents: the viewers follow the stream.
            first = agents_of(engine)
            await eventually(lambda: agents_of(engine) != first, "an agent to change", 30)
            for poller in engine._pollers:  # hold the floor still so the viewers can catch up
                await poller.stop()
            words = [h.health for h in engine.health()]
            for v in viewers:
                await eventually(partial(holds_the_engine_s, v), "the change", 10)
                assert v.reloads == 1  # followed the stream, never reloaded
                assert sorted(v.source_names) == sorted(engine.source_names)
                await eventually(partial(health_is, v, words), "the engine's health words", 10)
                assert {q.key for q in v.records(Collection.QUEUES, Queue)} == {
                    q.key for q in engine.records(Collection.QUEUES, Queue)
                }
                await eventually(partial(_same_pending, v, engine), "what still loads", 10)
                # The data's age on a viewer is the engine's, not the age of the last
                # health line (feed ages follow each poll and grow between them).
                ages, local = v.feed_ages(), engine.feed_ages()
                assert set(ages) == set(local)
                for feed, age in local.items():
                    if age is None:  # not read yet
                        assert ages[feed] is None
                    else:
                        assert abs((ages[feed] or 0.0) - age) < 1.0, feed
        finally:
            for v in viewers:
                await v.stop()


async def test_a_hub_that_starts_afresh_makes_viewers_reload_without_duplicates(
    sim: SimServer, redis_server: RedisServer
) -> None:
    v = viewer(redis_server)
    async with hub(sim, redis_server) as publisher:
        await eventually(lambda: len(agents_of(publisher.floor)) > 0, "agents", 20)  # type: ignore[arg-type]
        v.start()
        await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
    try:
        async with hub(sim, redis_server) as second:
            engine = second.floor
            assert isinstance(engine, Engine)
            await eventually(lambda: v.reloads >= 2, "the viewer to reload the new epoch", 20)
            await eventually(lambda: agents_of(v) == agents_of(engine), "the same agents", 20)
            assert len(list(v.records(Collection.AGENTS, Agent))) == len(agents_of(engine))
    finally:
        await v.stop()


async def test_redis_gone_and_back_the_viewer_says_so_then_reloads(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        v = viewer(redis_server)
        v.start()
        try:
            await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
            held = agents_of(v)
            redis_server.stop()
            await eventually(lambda: "cannot reach Redis" in (v.problem or ""), "a reason", 15)
            assert agents_of(v) == held  # the data stays on screen
            assert all(h.last_error == v.problem for h in v.health())
            await eventually(lambda: publisher.stats.error is not None, "the hub to notice", 15)
            redis_server.start()  # same port, empty: the hub republishes everything
            await eventually(lambda: publisher.stats.error is None, "the hub to publish again", 20)
            await eventually(lambda: v.problem is None and v.reloads >= 2, "a reload", 30)
            await eventually(lambda: agents_of(v) == agents_of(engine), "the same agents", 20)
        finally:
            await v.stop()


async def test_keys_of_another_format_version_are_refused_with_a_message(
    redis_server: RedisServer,
) -> None:
    redis = client(redis_server.url)
    keys = HubKeys("floor2")
    await redis.hset(keys.meta, mapping={"format": "ccmon-hub", "version": "99", "ccmon": "9.0"})
    await redis.aclose()
    v = viewer(redis_server, "floor2")
    v.start()
    try:
        await eventually(lambda: v.problem is not None, "the viewer to refuse", 10)
        assert v.problem is not None
        assert "v99" in v.problem
        assert "same ccmon version" in v.problem
        assert [h.source for h in v.health()] == ["hub"]
    finally:
        await v.stop()


@pytest.mark.parametrize("url", ["redis://127.0.0.1:9/0"])
async def test_an_unreachable_hub_is_a_status_line_not_a_crash(url: str) -> None:
    v = HubFloor(client(url), url=url)
    v.start()
    try:
        await eventually(lambda: v.problem is not None, "the viewer to give a reason", 10)
        assert v.problem is not None
        assert v.problem.startswith("hub redis://127.0.0.1:9/0")
        assert v.health()[0].health is Health.UNREACHABLE
    finally:
        await v.stop()


async def test_mask_pii_keeps_customer_identifiers_out_of_redis(
    make_sim: Callable[..., SimServer], redis_server: RedisServer
) -> None:
    sim = make_sim(rate_limit=False)
    fast = {"CCMON_CCAI_RATE": "20", "CCMON_CCAI_BURST": "5"}
    async with hub(sim, redis_server, env=fast, mask_pii=True) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)

        def customers() -> set[str]:
            return {
                i.customer
                for i in engine.records(Collection.INTERACTIONS, Interaction)
                if i.customer
            }

        await eventually(lambda: len(customers()) > 3, "contacts with customers", 30)
        await eventually(lambda: publisher.stats.entries > 2, "published", 20)
        v = viewer(redis_server)
        v.start()
        try:
            await eventually(
                lambda: v.collections()[Collection.INTERACTIONS] > 0, "the viewer's contacts", 20
            )
            shown = {i.customer for i in v.records(Collection.INTERACTIONS, Interaction)}
            assert shown.isdisjoint(customers())
            assert {mask(c) for c in customers()} & shown
        finally:
            await v.stop()
        redis = client(redis_server.url)
        dump = b""
        async for key in redis.scan_iter(match="ccmon:*"):
            kind = await redis.type(key)
            if kind == b"hash":
                fields: Any = await redis.hgetall(key)
                dump += b"".join(fields.values())
            elif kind == b"stream":
                entries: Any = await redis.xrange(key)
                dump += b"".join(f[b"j"] for _, f in entries if b"j" in f)
            elif kind == b"string":
                value = await redis.get(key)
                dump += value if isinstance(value, bytes) else b""
        await redis.aclose()
        text = dump.decode("utf-8", "replace")
        assert not [c for c in customers() if c in text]


async def test_a_viewer_paused_while_the_stream_is_trimmed_past_it_reloads_everything(
    sim: SimServer, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = client(redis_server.url)
    # Small stream nodes, so that `MAXLEN ~ 10` really trims (Redis trims whole nodes).
    await admin.config_set("stream-node-max-entries", 4)
    async with hub(sim, redis_server, maxlen=10, health_s=0.05) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        v = viewer(redis_server)
        resume = asyncio.Event()
        paused = asyncio.Event()
        follow = v._follow

        async def stopped_follow() -> bool:  # the viewer process gets no CPU (as SIGSTOP)
            if not resume.is_set():
                paused.set()
                await resume.wait()
            return await follow()

        v.start()
        try:
            await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
            monkeypatch.setattr(v, "_follow", stopped_follow)
            await asyncio.wait_for(paused.wait(), 10)
            seen, reloads = v._seq, v.reloads
            before = agents_of(engine)
            await eventually(lambda: agents_of(engine) != before, "the floor to move", 30)

            async def first_seq() -> int:
                first: Any = await admin.xrange(HubKeys().stream, count=1)
                return int(first[0][1][b"s"])

            async def trimmed_past() -> bool:
                return await first_seq() > seen + 1

            for _ in range(100):
                if await trimmed_past():
                    break
                await asyncio.sleep(0.1)
            assert await trimmed_past(), "the stream was not trimmed past the viewer"
            resume.set()
            await eventually(lambda: v.reloads > reloads, "the viewer to reload", 10)
            for poller in engine._pollers:  # hold the floor still so the viewer can catch up
                await poller.stop()
            await eventually(
                lambda: slots_of(v.store) == slots_of(engine.store), "the engine's records", 15
            )
            # Every record once: as many as the engine holds, in each collection.
            assert v.collections() == engine.collections()
            assert v.problem is None
        finally:
            await v.stop()
            await admin.aclose()


async def test_a_leading_hub_cut_off_from_redis_stops_polling_then_leads_afresh(
    sim: SimServer, redis_server: RedisServer
) -> None:
    settings = load_settings(env={"CCMON_CONFIG": os.devnull, **sim.env, **FAST})
    now = sim_now(sim)
    engines: list[Engine] = []

    def make_engine(transport: httpx.AsyncBaseTransport) -> Engine:
        engines.append(Engine(build_sources(settings, transport=transport, now=now), now=now))
        return engines[-1]

    runner = HubRunner(make_engine, client(redis_server.url), url=redis_server.url, ttl_s=2.0)
    stop = asyncio.Event()
    task = asyncio.get_running_loop().create_task(runner.run(stop))
    v = viewer(redis_server)
    v.start()
    try:
        await eventually(lambda: runner.role is Role.LEADING, "the hub to lead", 10)
        await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
        redis_server.stop()
        # Past half the TTL without a renewal: it stands down, its engine stopped.
        await eventually(
            lambda: runner.role is Role.STANDBY and runner.engine is None, "it stands down", 10
        )
        redis_server.start()  # empty: no lease, no state
        await eventually(lambda: runner.terms == 2, "the hub to lead again", 20)
        engine = engines[-1]
        await eventually(lambda: len(agents_of(engine)) > 0, "the new engine's agents", 20)
        await eventually(lambda: v.reloads >= 2 and v.problem is None, "the viewer reloads", 30)
        await eventually(lambda: agents_of(v) == agents_of(engine), "the same agents", 20)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        await v.stop()
        await runner.redis.aclose()


async def test_keys_written_by_something_else_are_skipped_and_counted_not_fatal(
    sim: SimServer, redis_server: RedisServer
) -> None:
    keys = HubKeys()
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)
        await eventually(lambda: publisher.stats.entries > 1, "something published", 20)
        for poller in engine._pollers:  # hold the floor still
            await poller.stop()
        await asyncio.sleep(0.5)  # the last diffs published
        other = client(redis_server.url)
        await other.sadd(keys.slots, "widgets/acme")  # a collection no ccmon knows
        await other.hset(keys.slot_key("widgets/acme"), "w1", "{}")
        await other.hset(keys.slot(Collection.AGENTS, "ccai"), "ccai:junk", "not a record")
        await other.aclose()
        v = viewer(redis_server)
        v.start()
        try:
            await asyncio.wait_for(v.loaded.wait(), 20)
            assert v.ignored == 2
            assert v.problem is None
            assert agents_of(v) == agents_of(engine)  # every other record still loads
        finally:
            await v.stop()


async def test_a_hub_that_stops_publishing_reads_hub_silent_and_its_data_stays(
    sim: SimServer, redis_server: RedisServer
) -> None:
    v = HubFloor(client(redis_server.url), url=redis_server.url, silent_after_s=2.0)
    try:
        async with hub(sim, redis_server) as publisher:
            await eventually(lambda: len(agents_of(publisher.floor)) > 0, "agents", 20)  # type: ignore[arg-type]
            v.start()
            await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
            await asyncio.sleep(3)  # health lines every second: not silent
            assert all("silent" not in (h.last_error or "") for h in v.health())
            held = agents_of(v)
        # The hub is gone; Redis is still there.
        await eventually(
            lambda: all((h.last_error or "").startswith("hub silent for") for h in v.health()),
            "the viewer to say the hub is silent",
            10,
        )
        assert agents_of(v) == held
        assert {h.health for h in v.health()} == {Health.DEGRADED}
    finally:
        await v.stop()


async def test_a_stream_entry_that_cannot_be_read_makes_the_viewer_reload_not_skip(
    sim: SimServer, redis_server: RedisServer
) -> None:
    keys = HubKeys()
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)
        v = viewer(redis_server)
        v.start()
        try:
            await eventually(lambda: len(agents_of(v)) > 0, "the viewer's agents", 20)
            for poller in engine._pollers:  # hold the floor still, its last diffs published
                await poller.stop()
            await asyncio.sleep(0.5)
            publisher.stop()  # nothing else is written from now on
            await asyncio.sleep(0.5)
            reloads = v.reloads
            # The next entry in the hub's own sequence, but not a diff of this format: what
            # it changed is unknown, so the viewer must not just go on.
            bad = json.dumps({"kind": "diff", "t": 0, "collection": "agents", "records": 1})
            entry = {"e": publisher._epoch, "s": str(publisher._seq + 1), "j": bad}
            other = client(redis_server.url)
            await other.xadd(keys.stream, entry)  # type: ignore[arg-type]
            await other.aclose()
            await eventually(lambda: v.reloads > reloads, "the viewer to reload", 10)
            assert v.ignored == 1
            assert agents_of(v) == agents_of(engine)
        finally:
            await v.stop()
