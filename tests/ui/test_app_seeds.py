"""The live app against the seeds' examples: panes fill, keys work, a failing source shows."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from textual.widgets import Static

from ccmon.domain import Agent, AgentState, Collection
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.detail import DetailScreen
from ccmon.ui.screens.help import HelpScreen
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.app import make_app
from tests.support.floors import store_of
from tests.support.seed_server import SeedServer, serve_seeds
from tests.support.waiting import wait_for


@pytest.fixture(scope="module")
def seeds() -> Iterator[SeedServer]:
    with serve_seeds() as server:
        yield server


def filled(app: CcmonApp) -> bool:
    counts = [pane.table.live_count for pane in app.panes]
    # Queues: two CCAI menus and the Evo queue its session waits in.
    return counts[0] == 4 and counts[1] == 3 and counts[3] >= 3 and counts[4] == 1


async def test_panes_fill_from_every_source(seeds: SeedServer) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        agents = app.pane("agents").table
        assert agents.cell_text("ccai:45", "name") == "Craig T Nelson"
        assert agents.cell_text("ccai:60", "state") == "◉ In call"
        assert app.pane("queues").table.cell_text("ccai:10:call", "waiting") == "2"
        await wait_for(pilot, lambda: app.pane("sla").table.live_count >= 8)
        await wait_for(pilot, lambda: "Example Period" in str(app.query_one("#title").render()))


async def test_a_change_is_highlighted_and_fades(seeds: SeedServer) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        table = app.pane("agents").table
        # A state change, published the way the pollers publish one.
        store = store_of(app)
        current = {a.key: a for a in store.of_type(Collection.AGENTS, Agent)}
        craig = current["ccai:45"]
        changed = Agent(
            craig.source,
            craig.id,
            craig.name,
            AgentState.AVAILABLE,
            "Available",
            craig.state_since,
            craig.team,
        )
        store_of(app).replace(Collection.AGENTS, "ccai", [*current.values(), changed])
        await wait_for(pilot, lambda: "state" in table.highlighted("ccai:45"))
        assert table.cell_text("ccai:45", "state") == "● Available"
        await wait_for(pilot, lambda: not table.highlighted("ccai:45"), within=10)


async def test_pause_holds_the_display_and_resume_applies(seeds: SeedServer) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        await pilot.press("p")
        assert app.paused
        assert "PAUSED" in str(app.query_one(StatusBar).render())
        table = app.pane("agents").table
        store_of(app).replace(Collection.AGENTS, "ccai", [])
        assert app._pending  # the diff has come, and is held
        app._apply_pending()  # what the batch timer would do
        assert table.live_count == 4
        await pilot.press("p")
        await wait_for(pilot, lambda: table.live_count == 0)


async def test_filter_sort_detail_help_and_theme(seeds: SeedServer) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        table = app.pane("agents").table
        await pilot.press("slash", *"darth", "enter")
        assert table.row_count == 1
        assert app.pane("agents").border_title is not None
        assert "/darth/" in str(app.pane("agents").border_title)
        info = app.pane("agents").query_one(".pane-info", Static)
        assert str(info.render()) == "1 of 4 agents match"  # no floor-wide counts beside it
        await pilot.press("escape")  # leaves the table focused; filter box still set
        table.filter_text = ""
        assert table.row_count == 4

        before = table.sort_index
        await pilot.press("s")
        assert table.sort_index != before
        column = table.columns[table.sort_index].title
        await pilot.pause()
        header = "".join(segment.text for segment in table.render_line(0))
        [marked] = re.findall(r"(\S[^↑↓]*?)…?[↑↓]", header)  # one arrow, on the new column
        assert column.startswith(marked.split("  ")[-1].strip()), (column, header)
        assert f"by {column}" in str(app.pane("agents").border_title)

        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await wait_for(
            pilot,
            lambda: (
                "activity" in str(app.screen.query_one("#extra").render())
                or "Logged out" in str(app.screen.query_one("#extra").render())
            ),
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")

        theme = app.theme
        await pilot.press("t")
        assert app.theme != theme


async def test_failing_source_shows_while_others_update(seeds: SeedServer) -> None:
    app = make_app({**seeds.env(), "CCMON_ALO_TOKEN": "wrong-token-xyz"})
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.pane("agents").table.live_count == 4)
        bar = app.query_one(StatusBar)
        await wait_for(pilot, lambda: "alo auth failed" in str(bar.render()))
        text = str(bar.render())
        assert "credentials rejected" in text
        assert "wrong-token-xyz" not in text
        assert app.pane("board").table.live_count == 0


async def test_compact_layout_shows_tabs_and_one_pane(seeds: SeedServer) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        assert app.screen.has_class("-compact")
        assert app.pane("agents").display
        assert app.pane("agents").styles.display == "block"
        await pilot.press("4")
        assert app.pane("interactions").has_class("-active")
        assert not app.pane("agents").has_class("-active")
        await pilot.press("tab")
        assert app.pane("board").has_class("-active")
        assert app.focused is not None
        assert app.pane("board") in app.focused.ancestors
        await pilot.press("tab")  # round to the first
        assert app.pane("agents").has_class("-active")
        await pilot.press("shift+tab")
        assert app.pane("board").has_class("-active")
        await pilot.press("Z")
        assert app.screen.has_class("-zoomed")
        assert not app.query_one("#kpis").display  # Z: the pane takes those rows too (#18.7)


async def test_resizing_behind_another_screen_lays_the_main_screen_out(
    seeds: SeedServer,
) -> None:
    app = make_app(seeds.env())
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: filled(app))
        main = app.screen
        assert not main.has_class("-compact")
        await pilot.press("question_mark")
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape")
        assert app.screen is main
        assert main.has_class("-compact")
        await pilot.press("question_mark")
        await pilot.resize_terminal(160, 50)
        await pilot.press("escape")
        assert not main.has_class("-compact")


@pytest.mark.parametrize("theme", ["dark", "light", "ansi", "mono"])
async def test_every_bundled_theme_loads_and_draws(seeds: SeedServer, theme: str) -> None:
    app = make_app(seeds.env(), theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.pane("agents").table.live_count == 4)
        assert app.theme == f"ccmon-{theme}"
        assert "Nelson" in app.export_screenshot()
