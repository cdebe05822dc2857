"""The detail view (Enter on a row) reads like the rest of the screen, not like raw JSON: words
for people, ages that tick, the agent's activity newest first in the order it happened, and
for a queue the contacts waiting, today's figures and the agents who can take them."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import (
    Agent,
    AgentActivity,
    AgentState,
    Collection,
    Interaction,
    Phase,
    Queue,
    newest_first,
)
from ccmon.engine.engine import Engine
from ccmon.sim.runner import SimServer
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.panes.sla import SlaRow
from ccmon.ui.screens.detail import DetailScreen, record_lines, title_of
from tests.support.app import FAST
from tests.support.sim import sim_now
from tests.support.waiting import wait_for

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
RAW_WORDS = re.compile(r"\b[a-z]+_[a-z_]+\b")
"""snake_case: a field or code name where a person's word belongs."""


def fields(text: str) -> dict[str, str]:
    """``label  value`` lines (label and value apart by two spaces or more)."""
    pairs = (re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in text.splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def shown(screen: DetailScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_times_read_as_local_clock_and_age_and_seconds_as_durations() -> None:
    joined = NOW - timedelta(seconds=219)
    queue = Queue("ccai", "10", "Main Line/Billing", "call", 3, 219, joined, ("1", "2"))
    lines = fields(record_lines(queue, mask_pii=False, now=NOW.timestamp()).plain)
    assert lines["Longest wait"] == "3:39"
    assert lines["Longest waiting since"] == f"{fmt.clock(joined)} (3:39 ago)"
    assert lines["Agents assigned"] == "2 (listed below)"
    assert lines["Waiting now"] == "3"
    later = fields(record_lines(queue, mask_pii=False, now=NOW.timestamp() + 60).plain)
    assert later["Longest wait"] == "4:39"  # between polls the wait goes on


def test_words_for_people_not_field_names() -> None:
    contact = Interaction(
        "ccai",
        "call",
        "7",
        "connected",
        Phase.ACTIVE,
        "Sales",
        "Ann Lee",
        NOW - timedelta(minutes=5),
        answered_at=NOW - timedelta(minutes=4),
        wait_s=60,
        duration_s=None,
        sla_event="not_in_sla",
    )
    text = record_lines(contact, mask_pii=False, now=NOW.timestamp()).plain
    lines = fields(text)
    assert lines["Phase"] == "In progress"
    assert lines["Duration"] == "4:00"  # talking since the answer, not the vendor's 0
    assert lines["Service level"] == "not within target"
    assert not RAW_WORDS.findall(text), text
    row = SlaRow("ccai:queue:call:Sales", "ccai", "queue", "Sales", "call", 81.0, 75.0, 12, 1)
    assert title_of(row) == "Service level · Sales"
    sla = record_lines(row, mask_pii=False, now=NOW.timestamp()).plain
    assert "Key" not in fields(sla)
    assert fields(sla)["Service level (ccmon)"] == "75.0%"
    assert not RAW_WORDS.findall(sla)


def test_same_second_activity_keeps_the_order_it_happened_in() -> None:
    second = NOW - timedelta(minutes=2)

    def entry(id: str, state: AgentState, end: datetime | None) -> AgentActivity:
        return AgentActivity("ccai", "1", id, "x", None, second, end, state.value, state, 0)

    became_free = entry("41", AgentState.AVAILABLE, second)  # for no time at all
    answered = entry("42", AgentState.IN_CALL, None)  # and took a call in the same second
    earlier = dataclasses.replace(
        entry("40", AgentState.WRAP_UP, second), started_at=second - timedelta(seconds=61)
    )
    for given in ([became_free, answered, earlier], [earlier, answered, became_free]):
        assert [e.id for e in newest_first(given)] == ["42", "41", "40"]
    both_ended = dataclasses.replace(answered, ended_at=second)  # same start and end: by id
    assert [e.id for e in newest_first([both_ended, became_free])] == ["42", "41"]
    assert [e.id for e in newest_first([became_free, both_ended])] == ["42", "41"]
    odd = dataclasses.replace(both_ended, id="²")  # a digit to str.isdigit, not to int()
    assert [e.id for e in newest_first([odd, became_free])] == ["41", "²"]


def test_the_ui_reaches_no_vendor_directly() -> None:
    """Vendor access goes through the engine (an agent's activity too)."""
    root = Path(__file__).parents[2] / "ccmon" / "ui"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(from|import) ccmon\.sources\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


async def test_a_detail_ticks_and_follows_its_row(floor: StillFloor) -> None:
    clock = [floor.at.timestamp()]
    app = CcmonApp(floor.engine(), dataclasses.replace(floor.options(), wall=lambda: clock[0]))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.pane("agents").table
        await wait_for(pilot, lambda: table.live_count == 25)
        agent = table.cursor_record
        assert isinstance(agent, Agent)
        assert agent.state_since is not None
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        screen = app.screen
        age = floor.at.timestamp() - agent.state_since.timestamp()
        await wait_for(pilot, lambda: f"({fmt.duration(age)} ago)" in shown(screen, "#fields"))
        text = shown(screen, "#fields")
        assert not RAW_WORDS.findall(text), text
        assert agent.state.value not in text.split()  # "available", "in_call" ...
        title = str(screen.query_one("VerticalScroll").border_title)
        assert title.startswith(f"Agent · {agent.name}")
        clock[0] += 8  # no poll: the age counts on by itself
        later = f"({fmt.duration(age + 8)} ago)"
        await wait_for(pilot, lambda: later in shown(screen, "#fields"))


async def test_a_queue_detail_lists_who_waits_today_and_who_can_answer(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    wall = floor.at.timestamp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count > 0)
        queue = table.cursor_record  # sorted by Waiting, the busiest first
        assert isinstance(queue, Queue)
        assert queue.in_queue > 0
        await pilot.press("2", "enter")
        assert isinstance(app.screen, DetailScreen)
        screen = app.screen
        await wait_for(pilot, lambda: bool(shown(screen, "#waiting")))
        contacts = [
            c
            for c in app.engine.records(Collection.INTERACTIONS, Interaction)
            if (c.source, c.queue, c.kind) == (queue.source, queue.name, queue.channel)
        ]
        waiting = [c for c in contacts if c.phase is Phase.WAITING]
        assert waiting
        listed = shown(screen, "#waiting")
        for contact in waiting:
            assert contact.created_at is not None
            wait = fmt.duration(wall - contact.created_at.timestamp())
            assert re.search(rf"{re.escape(wait)}\s+{contact.kind} {contact.id}\b", listed)
        today = shown(screen, "#today")
        abandoned = sum(1 for c in contacts if c.phase is Phase.ABANDONED)
        assert f"offered {len(contacts)} · answered " in today
        assert f"abandoned {abandoned} · ASA " in today  # no short abandons on this floor
        assert " · AHT " in today
        agents = shown(screen, "#agents")
        names = {a.id: a.name for a in app.engine.records(Collection.AGENTS, Agent)}
        assigned = [names[i] for i in queue.agent_ids if i in names]
        assert assigned
        assert all(name in agents for name in assigned)
        assert "can take them" in shown(screen, "#agents-title")


async def test_an_agent_detail_shows_the_activity_log_and_follows_the_agent(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(agents=6, rate_limit=False, speed=0.0)
    settings = load_settings(env={**sim.env, **FAST, "CCMON_CONFIG": os.devnull})
    engine = Engine(build_sources(settings, now=sim_now(sim)), now=sim_now(sim))
    app = CcmonApp(engine, UiOptions(wall=sim.clock.now))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.pane("agents").table
        await wait_for(pilot, lambda: table.live_count >= 6)
        agent = sim.world.agents()[0]
        key = f"ccai:{agent.id}"
        for _ in range(table.live_count):
            record = table.cursor_record
            if record is not None and record.key == key:
                break
            await pilot.press("j")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        screen = app.screen
        await wait_for(pilot, lambda: "loading" not in shown(screen, "#extra"))
        log = shown(screen, "#extra")
        assert log.strip()
        assert not RAW_WORDS.findall(log), log
        target = "Meal" if agent.status != "Meal" else "Break"
        sim.world.set_agent_status(agent.id, target)
        # The row changes at the next poll; the detail follows it and reloads the log.
        await wait_for(pilot, lambda: fields(shown(screen, "#fields"))["Vendor status"] == target)
        await wait_for(pilot, lambda: target in shown(screen, "#extra").splitlines()[0])
        assert "so far" in shown(screen, "#extra").splitlines()[0]
