"""The screens as a supervisor uses them (issue #18): sorting keys, layouts by width, zoom.

On the still demo floor (ccmon.still), so what is on screen is the same on every run."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.pilot import Pilot

from ccmon.domain import Collection, Interaction, Phase
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.panes.actions import BoardPane
from ccmon.ui.panes.agents import AgentsPane
from ccmon.ui.screens.help import HelpScreen
from ccmon.ui.screens.sort import PICK_KEYS, SortScreen
from ccmon.ui.widgets.kpis import KpiStrip
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import RecordTable
from tests.support.waiting import wait_for


def make(floor: StillFloor) -> CcmonApp:
    return CcmonApp(floor.engine(), floor.options(), demo=True)


def line(table: RecordTable[Any], y: int) -> str:
    return "".join(segment.text for segment in table.render_line(y))


async def filled(pilot: Pilot[None], app: CcmonApp) -> None:
    await wait_for(pilot, lambda: all(p.table.live_count for p in tabled(app)))
    await pilot.pause()


def tabled(app: CcmonApp) -> list[Pane]:
    """The panes that are one table (the board is lanes or a table)."""
    return [pane for pane in app.panes if not isinstance(pane, BoardPane)]


def sort_values(table: RecordTable[Any]) -> list[Any]:
    column = table.columns[table.sort_index]
    values = [column.value(r) for r in table.ordered_records()]
    return [column.order(v) if column.order and v is not None else v for v in values]


async def test_f6_sorts_by_the_column_of_the_key_pressed_and_again_reverses(
    floor: StillFloor,
) -> None:
    app = make(floor)
    async with app.run_test(size=(160, 50)) as pilot:
        await filled(pilot, app)
        table = app.pane("agents").table
        titles = [c.title for c in table.visible_columns]
        key = PICK_KEYS[titles.index("In state")]
        await pilot.press("1", "f6")
        assert isinstance(app.screen, SortScreen)
        await pilot.press(key)
        assert not isinstance(app.screen, SortScreen)
        assert table.columns[table.sort_index].key == "since"
        assert table.sort_reverse  # an age: longest first
        values = sort_values(table)
        assert values == sorted(values, reverse=True)
        assert "by In state ↓" in str(app.pane("agents").border_title)
        await pilot.press("f6", key)  # the sorted column again: shortest first
        assert not table.sort_reverse
        assert "by In state ↑" in str(app.pane("agents").border_title)
        await pilot.press("f6", PICK_KEYS[titles.index("Agent")])  # text: A to Z
        assert table.columns[table.sort_index].key == "name"
        names = [r.name for r in table.ordered_records()]
        assert names == sorted(names)


async def test_the_sorted_header_shows_its_whole_title_and_arrow(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(80, 24)) as pilot:
        await filled(pilot, app)
        table = app.pane("agents").table
        table.pick_sort("since")
        await pilot.pause()
        assert "In state↓" in line(table, 0)


async def test_down_arrow_means_largest_or_longest_first_in_every_pane(
    floor: StillFloor,
) -> None:
    """``s`` through every column of every pane: an ↓ column's first row holds its largest
    value (the longest age, the newest time, the most waiting), an ↑ column's its smallest."""
    app = make(floor)
    async with app.run_test(size=(250, 70)) as pilot:
        await filled(pilot, app)
        seen = 0
        for pane in tabled(app):
            await pilot.press(str(pane.number))
            table = pane.table
            for _ in table.visible_columns:
                await pilot.press("s")
                column = table.columns[table.sort_index]
                values = [v for v in sort_values(table) if v is not None]
                if len({type(v) for v in values}) != 1 or len(set(values)) < 2:
                    continue
                arrow = "↓" if column.largest_first else "↑"
                assert f"{column.title}{arrow}" in line(table, 0), (pane.id, column.key)
                assert values == sorted(values, reverse=column.largest_first), column.key
                seen += 1
        assert seen >= 12
        lane = app.pane(BoardPane).lanes["assigned"]
        ages = sort_values(lane)
        assert lane.sort_reverse
        assert ages == sorted(ages, reverse=True)


async def test_f1_opens_help_and_f10_quits(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        await filled(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not app.is_running)


async def test_zoom_keeps_the_kpi_strip_unless_asked(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(200, 60)) as pilot:
        await filled(pilot, app)
        strip = app.query_one(KpiStrip)
        await pilot.press("2", "z")
        await pilot.pause()
        assert app.screen.has_class("-zoomed")
        assert strip.display
        assert strip.region.height > 0
        await pilot.press("Z")  # bare: the pane alone, no KPIs
        await pilot.pause()
        assert app.screen.has_class("-zoomed")
        assert strip.region.height == 0
        await pilot.press("Z")
        await pilot.pause()
        assert not app.screen.has_class("-zoomed")
        assert strip.region.height > 0


def draws_cursor(table: RecordTable[Any]) -> bool:
    cursor = table.get_component_rich_style("record-table--cursor", partial=True).bgcolor
    return any(s.style is not None and s.style.bgcolor == cursor for s in table.render_line(1))


async def test_only_the_focused_table_draws_its_cursor_row(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(250, 70)) as pilot:
        await filled(pilot, app)
        await pilot.press("2")
        await pilot.pause()
        tables = [t for t in app.query(RecordTable) if t.region.height and t.row_count]
        assert len(tables) >= 5
        assert [t for t in tables if draws_cursor(t)] == [app.pane("queues").table]
        await pilot.press("tab")
        await pilot.pause()
        assert [t for t in tables if draws_cursor(t)] == [app.focused]


def shown(widget: Any) -> bool:
    return bool(widget.region.width and widget.region.height)


async def test_the_board_uses_the_grouped_table_where_a_lane_would_be_narrow(
    floor: StillFloor,
) -> None:
    """Lanes only while every lane in use gets 40 columns; empty lanes never take width."""
    from ccmon.ui.panes.actions import MIN_LANE

    app = make(floor)
    async with app.run_test(size=(160, 50)) as pilot:
        await filled(pilot, app)
        board = app.pane(BoardPane)
        used = [t for t in board.lanes.values() if t.live_count]
        assert len(used) == 3  # created, doing, closed on the demo floor
        assert board.content_size.width // 3 < MIN_LANE  # about 78 columns: 26 a lane
        assert shown(board.table)
        assert not any(shown(t) for t in board.lanes.values())

        await pilot.resize_terminal(250, 70)  # about 123 columns: 41 a lane
        await pilot.pause()
        assert not shown(board.table)
        assert all(shown(t) for t in used)
        assert all(t.region.width >= MIN_LANE for t in used)
        assert all(keys_shown(t) == {"what", "who", "age"} for t in used)
        empty = [t for t in board.lanes.values() if not t.live_count]
        assert empty
        assert not any(shown(t) for t in empty)  # collapsed, named in the info line instead
        assert "no assigned, canceled" in board.summary
        for lane in used:  # whole ages, never "1:"
            for record in lane.ordered_records():
                assert lane.cell_text(record.key, "age") in line_texts(lane)

        await pilot.press("5", "z")  # zoomed at 80 columns: the grouped table again
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shown(board.table)
        assert app.focused is board.table


def line_texts(table: RecordTable[Any]) -> str:
    return "\n".join(line(table, y) for y in range(1, table.row_count + 1))


def keys_shown(table: RecordTable[Any]) -> set[str]:
    return {c.key for c in table.visible_columns}


CONTACT = {"contact_queue", "contact_since", "customer"}
QUEUE_FIGURES = {"asa", "abandon", "offered"}
FORECAST = {"sl_next", "need"}


async def test_width_buys_columns_the_agents_contact_and_the_queue_figures(
    floor: StillFloor,
) -> None:
    app = make(floor)
    async with app.run_test(size=(120, 32)) as pilot:
        await filled(pilot, app)
        agents, queues = app.pane("agents").table, app.pane("queues").table
        assert not keys_shown(agents) & CONTACT
        assert not keys_shown(queues) & QUEUE_FIGURES

        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert keys_shown(agents) >= CONTACT
        # Half of 200 columns: the forecast and the window's ASA and abandons; offered (the
        # forecast's arrivals, in its detail) waits for the zoom.
        assert keys_shown(queues) >= FORECAST | QUEUE_FIGURES - {"offered"}
        await pilot.press("2", "z")
        await pilot.pause()
        assert keys_shown(queues) >= FORECAST | QUEUE_FIGURES
        await pilot.press("z")
        await pilot.pause()
        # The contact each agent on a call handles, from the contacts feed, on its row.
        contacts = app.engine.records(Collection.INTERACTIONS, Interaction)
        active = {(c.source, c.agent): c for c in contacts if c.phase is Phase.ACTIVE and c.agent}
        on_contact = [a for a in agents.ordered_records() if (a.source, a.name) in active]
        assert len(on_contact) >= 10
        for agent in on_contact:
            contact = active[(agent.source, agent.name)]
            assert agents.cell_text(agent.key, "contact_queue") == contact.queue
            assert agents.cell_text(agent.key, "customer") == contact.customer
        # The queue figures are the engine's, per queue and channel.
        assert app.metrics is not None
        for queue in queues.ordered_records():
            stats = app.metrics.queues[queue.key].stats
            assert queues.cell_text(queue.key, "asa") == fmt.duration(stats.asa_s)
            assert queues.cell_text(queue.key, "abandon") == fmt.percent(stats.abandon_pct)
            assert queues.cell_text(queue.key, "offered") == fmt.count(stats.offered)


async def test_a_contact_ending_clears_it_from_its_agent(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(200, 60)) as pilot:
        await filled(pilot, app)
        agents = app.pane(AgentsPane)
        contact = next(
            c
            for c in app.engine.records(Collection.INTERACTIONS, Interaction)
            if c.phase is Phase.ACTIVE and c.source == "ccai" and c.agent
        )
        agent = next(a for a in agents.table.ordered_records() if a.name == contact.agent)
        assert agents.table.cell_text(agent.key, "contact_queue") == contact.queue
        agents.contacts_changed({}, [], {contact.key: replace(contact, phase=Phase.ENDED)})
        assert agents.table.cell_text(agent.key, "contact_queue") == "—"


async def test_zoom_adds_columns_and_no_column_outgrows_its_cap(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        await filled(pilot, app)
        for pane in (app.pane("agents"), app.pane("queues"), app.pane("interactions")):
            table = pane.table
            before = keys_shown(table)
            await pilot.press(str(pane.number), "z")
            await pilot.pause()
            assert keys_shown(table) > before, pane.id  # more columns, not one wider
            await pilot.press("z")
        await pilot.resize_terminal(250, 70)
        await pilot.press("4", "z")
        await pilot.pause()
        for pane in tabled(app):
            for index, _x, width in pane.table._layout_for(pane.table.size.width):
                column = pane.table.columns[index]
                assert not column.max_width or width <= column.max_width, column.key
        contacts = app.pane("interactions").table  # zoomed at 250: queue and agent names whole
        for record in contacts.ordered_records()[: contacts.size.height - 1]:
            for key in ("queue", "agent"):
                text = contacts.cell_text(record.key, key)
                assert text in line_texts(contacts), (key, text)


async def test_recent_contacts_give_queue_and_agent_room_before_the_extras(
    floor: StillFloor,
) -> None:
    app = make(floor)
    async with app.run_test(size=(200, 60)) as pilot:
        await filled(pilot, app)
        contacts = app.pane("interactions").table
        assert {"queue", "agent", "customer"} <= keys_shown(contacts)
        assert not keys_shown(contacts) & {"direction", "id"}
        widths = {
            contacts.columns[i].key: w for i, _, w in contacts._layout_for(contacts.size.width)
        }
        assert widths["queue"] >= 20
        assert widths["agent"] >= 14
        shown = line_texts(contacts)
        for record in contacts.ordered_records()[: contacts.size.height - 1]:
            if record.queue is not None and len(record.queue) <= widths["queue"]:
                assert record.queue in shown
        await pilot.resize_terminal(250, 70)
        await pilot.pause()
        assert {"direction", "id"} <= keys_shown(contacts)


async def test_the_filter_applies_to_the_lanes_too(floor: StillFloor) -> None:
    app = make(floor)
    async with app.run_test(size=(250, 70)) as pilot:
        await filled(pilot, app)
        board = app.pane(BoardPane)
        assert not board.grouped
        await pilot.press("5", "slash", *"escalation", "enter")
        await pilot.pause()
        lanes = [t for t in board.lanes.values() if t.live_count]
        assert sum(t.row_count for t in lanes) == board.table.row_count
        assert 0 < board.table.row_count < board.table.live_count
