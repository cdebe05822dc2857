"""A wallboard following a hub says what is wrong with the hub in words, not only that the
data is old: a room cannot tell "the hub stopped" from "a vendor is down" otherwise."""

from __future__ import annotations

from textual.widgets import Static

from ccmon.engine.health import Health, SourceHealth
from ccmon.hub.connect import client
from ccmon.hub.viewer import HubFloor
from ccmon.serve.board import board_document
from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.screens.wallboard import WallboardScreen
from ccmon.ui.wallboard_pages import banner_text, floor_problem
from tests.support.waiting import eventually, wait_for

UNREACHABLE = "redis://127.0.0.1:9/0"


def old(source: str, age_s: float) -> SourceHealth:
    return SourceHealth(source, Health.DEGRADED, age_s, 0, 0, 0, 0, "x", (), 0, 0)


def test_a_hub_problem_leads_the_banner_with_the_sources_and_the_age() -> None:
    troubled = [old("ccai", 40.0), old("evo", 52.0)]
    text = banner_text(troubled, "hub silent for 40 s")
    assert text == "✖ hub silent for 40 s · CCAI EVO DATA 52s OLD"
    assert banner_text(troubled) == "◐ CCAI DEGRADED · DATA 40s OLD   ◐ EVO DEGRADED · DATA 52s OLD"


def test_a_floor_that_polls_itself_has_no_hub_problem(floor: StillFloor) -> None:
    assert floor_problem(floor.engine()) is None


async def test_the_terminal_wallboard_names_an_unreachable_hub() -> None:
    viewer = HubFloor(client(UNREACHABLE), url=UNREACHABLE)
    app = CcmonApp(viewer, UiOptions(), wallboard=True)
    async with app.run_test(size=(120, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        await wait_for(pilot, lambda: viewer.problem is not None, 15)
        await pilot.pause(1.1)  # the banner is redrawn every second
        banner = str(app.screen.query_one("#wb-health", Static).render())
        assert viewer.problem is not None
        assert viewer.problem.split(" (", 1)[0] in banner  # the words, not the driver's error
        assert "Error 111" not in banner
        assert "cannot reach Redis" in banner


async def test_the_browser_wallboard_names_an_unreachable_hub() -> None:
    viewer = HubFloor(client(UNREACHABLE), url=UNREACHABLE)
    viewer.start()
    try:
        await eventually(lambda: viewer.problem is not None, "the viewer to give a reason", 15)
        document = board_document(viewer, UiOptions())
        assert viewer.problem is not None
        said = viewer.problem.split(" (", 1)[0]
        assert document["banner"]["text"].startswith(f"✖ {said} · ")
        assert document["banner"]["level"] == "bad"
    finally:
        await viewer.stop()
