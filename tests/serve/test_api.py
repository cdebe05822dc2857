"""``ccmon serve``'s HTTP API on a real uvicorn over the simulator: snapshot, events, health."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from ccmon.commands.registry import SOURCE_NAMES
from ccmon.domain import Collection, Interaction, Queue
from ccmon.engine.diff import Diff
from ccmon.engine.events import DiffEvent, event_dict
from ccmon.serve.app import Server
from ccmon.serve.events import EventHub
from ccmon.sim.runner import SimServer
from ccmon.snapshot.collect import floor_snapshot
from ccmon.snapshot.render import to_document
from tests.support.serving import Serving, sim_engine
from tests.support.waiting import wait_until


def _loaded(served: Serving) -> bool:
    return all(h.health.value == "ok" for h in served.engine.health()) and bool(
        served.engine.store.count(Collection.QUEUES)
    )


def sse_events(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """Server-sent events as dicts of their fields (comments skipped)."""
    event: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in event:  # as a browser: no data, no event (``retry:`` alone)
                yield event
            event = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            event[name] = value.removeprefix(" ")


def test_snapshot_is_the_snapshot_document(served: Serving) -> None:
    wait_until(lambda: _loaded(served), "every source ok with queues")
    answer = httpx.get(f"{served.url}/api/snapshot", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    document = answer.json()
    expected = to_document(floor_snapshot(served.engine, SOURCE_NAMES))
    assert document.keys() == expected.keys()
    assert document["sources"].keys() == expected["sources"].keys()
    queues = {q.key for q in served.engine.records(Collection.QUEUES, Queue)}
    assert queues
    assert {f"{q['source']}:{q['id']}:{q['channel']}" for q in document["queues"]} == queues


def test_events_are_watch_lines_with_ids_and_resume(served: Serving, open_sim: SimServer) -> None:
    wait_until(lambda: _loaded(served), "every source ok with queues")
    with httpx.stream("GET", f"{served.url}/api/events", timeout=10) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        events = sse_events(answer.iter_lines())
        reset = next(events)
        assert reset["event"] == "reset"
        first = next(events)
        line = json.loads(first["data"])
        assert line["initial"] is True
        sample = next(iter(served.engine.store.slots()))
        assert set(line) == set(event_dict_keys(sample))
        last_id = first["id"]
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9]+", last_id)
    # Resume: no reset, only what came after the id (the floor keeps changing at 30x).
    headers = {"Last-Event-ID": last_id}
    with httpx.stream("GET", f"{served.url}/api/events", headers=headers, timeout=20) as answer:
        event = next(sse_events(answer.iter_lines()))
        assert event["event"] == "diff"
        # Exactly the next one: nothing the client missed is skipped.
        assert int(event["id"].rpartition("-")[2]) == int(last_id.rpartition("-")[2]) + 1
        assert json.loads(event["data"])["collection"] in {c.value for c in Collection}
    # An id of another run of serve: the whole state again, after a reset.
    headers = {"Last-Event-ID": "0badc0de-3"}
    with httpx.stream("GET", f"{served.url}/api/events", headers=headers, timeout=10) as answer:
        assert next(sse_events(answer.iter_lines()))["event"] == "reset"


def event_dict_keys(slot: tuple[object, ...]) -> dict[str, object]:
    from datetime import UTC, datetime

    from ccmon.engine.diff import Diff
    from ccmon.engine.events import DiffEvent

    collection, source, rows = slot
    assert isinstance(collection, Collection)
    assert isinstance(source, str)
    assert isinstance(rows, dict)
    return event_dict(DiffEvent(collection, source, datetime.now(UTC), Diff(added=rows), True))


def fields(sent: str) -> dict[str, str]:
    [event] = sse_events(iter(sent.split("\n")))
    return event


def _queue(waiting: int) -> Queue:
    return Queue("ccai", "1", "Sales", "call", waiting, None, None)


async def test_a_client_that_falls_behind_is_dropped(open_sim: SimServer) -> None:
    engine = sim_engine(open_sim)  # not started: the test makes the diffs
    hub = EventHub(engine, queue_size=3)
    hub.start()
    slow, slow_first = hub.attach()
    reader, _ = hub.attach()
    assert [fields(f)["event"] for f in slow_first] == ["reset"]  # nothing on the floor yet
    for waiting in range(6):
        engine.store.replace(Collection.QUEUES, "ccai", [_queue(waiting)])
        while not reader.queue.empty():
            reader.queue.get_nowait()  # this one keeps up
    assert slow.dropped
    assert slow not in hub.clients
    assert not reader.dropped
    assert reader in hub.clients
    assert hub.dropped_total == 1
    items = [slow.queue.get_nowait() for _ in range(slow.queue.qsize())]
    assert items[-1] is None  # the end of its stream, after what it had queued
    got = [fields(item) for item in items if item is not None]
    assert len(got) == 3
    assert json.loads(got[0]["data"])["added"][0]["in_queue"] == 0
    assert float(got[0]["time"]) == pytest.approx(time.time(), abs=30)
    # Reconnecting with its last id: the events are still kept, so it resumes there.
    _, resumed = hub.attach(got[-1]["id"])
    assert len(resumed) == 3
    changed = json.loads(fields(resumed[-1])["data"])["changed"]
    assert next(iter(changed.values()))["in_queue"] == [4, 5]
    # Newcomers share one serialisation of the state until it changes.
    _, state = hub.attach()
    _, same = hub.attach()
    assert same is state
    assert [fields(f)["event"] for f in state] == ["reset", "diff"]
    assert json.loads(fields(state[1])["data"])["added"][0]["in_queue"] == 5
    engine.store.replace(Collection.QUEUES, "ccai", [_queue(9)])
    _, fresh = hub.attach()
    assert json.loads(fields(fresh[1])["data"])["added"][0]["in_queue"] == 9
    hub.stop()
    assert reader.dropped  # stopping ends every stream
    await engine.stop()


def test_healthz_ok_then_503_with_reasons_when_a_source_is_cut(
    served: Serving, open_sim: SimServer
) -> None:
    wait_until(lambda: _loaded(served), "every source ok with queues")
    answer = httpx.get(f"{served.url}/healthz", timeout=5)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "ok"
    open_sim.faults.set("ccai", "down")

    def failing() -> bool:
        return httpx.get(f"{served.url}/healthz", timeout=5).status_code == 503

    wait_until(failing, "/healthz says 503 once ccai is down", within=40)
    document = httpx.get(f"{served.url}/healthz", timeout=5).json()
    assert document["status"] == "failing"
    assert any(reason.startswith("ccai: unreachable") for reason in document["reasons"])
    assert document["sources"]["alo"]["health"] == "ok"


def test_the_wallboard_document_holds_no_personal_data(served: Serving) -> None:
    engine = served.engine

    def customers() -> set[str]:
        contacts = engine.records(Collection.INTERACTIONS, Interaction)
        return {i.customer for i in contacts if i.customer}

    wait_until(lambda: bool(customers()), "contacts with a customer", within=40)
    board = httpx.get(f"{served.url}/api/board", timeout=10).text
    assert not any(customer in board for customer in customers())


def test_a_stuck_http_client_is_dropped_and_a_reading_one_is_not(served: Serving) -> None:
    """Over real sockets: a client that stops reading fills its TCP buffers, then its
    queue, and is let go (its memory with it); one that reads meanwhile keeps its stream."""
    wait_until(lambda: _loaded(served), "every source ok with queues")
    assert isinstance(served.server, Server)
    events = served.server.served.events
    events.queue_size = 4
    loops: list[asyncio.AbstractEventLoop] = []
    served.engine.subscribe(lambda _: loops.append(asyncio.get_running_loop()), replay=False)
    wait_until(lambda: bool(loops), "an event on the server's loop")

    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect(("127.0.0.1", served.port))
    stuck.sendall(b"GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n")  # and never reads
    with httpx.stream("GET", f"{served.url}/api/events", timeout=20) as reading:
        lines = reading.iter_lines()
        assert next(lines) == "retry: 2000"
        wait_until(lambda: len(events.clients) == 2, "both clients attached")
        name = "x" * 2_000
        big = {f"q{i}": Queue("ccai", f"q{i}", name, "call", i, None, None) for i in range(500)}
        for _ in range(40):  # about 1 MB each: far more than any socket buffer holds
            event = DiffEvent(Collection.QUEUES, "ccai", datetime.now(UTC), Diff(added=big))
            loops[0].call_soon_threadsafe(events._on_event, event)
            for line in lines:  # the reading client keeps up
                if line.startswith("data: ") and '"q499"' in line:
                    break
        wait_until(lambda: events.dropped_total >= 1, "the stuck client dropped", within=20)
        assert len(events.clients) == 1  # the reading one
    stuck.close()
