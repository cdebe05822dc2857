"""SVG snapshots of the main screens (pytest-textual-snapshot; Textual is pinned exactly).

The demo floor is read once from the simulator with its clock stopped (ccmon.still), so
every run draws the same pixels. Update after an intended change with
``python -m pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen are local; pin the zone so the pixels don't depend on the machine's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause(0.4)  # diffs are applied in a batch 0.1 s after they arrive


def app(floor: StillFloor, **kw: Any) -> CcmonApp:
    return CcmonApp(floor.engine(), floor.options(), demo=True, **kw)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_overview(snap_compare: SnapCompare, floor: StillFloor, size: tuple[int, int]) -> None:
    assert snap_compare(app(floor), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_wallboard(snap_compare: SnapCompare, floor: StillFloor, size: tuple[int, int]) -> None:
    assert snap_compare(app(floor, wallboard=True), terminal_size=size, run_before=settle)


def test_light_theme(snap_compare: SnapCompare, floor: StillFloor) -> None:
    assert snap_compare(app(floor, theme="light"), terminal_size=(120, 40), run_before=settle)


def test_queues_pane_zoomed(snap_compare: SnapCompare, floor: StillFloor) -> None:
    async def zoom(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("2", "z")

    assert snap_compare(app(floor), terminal_size=(120, 30), run_before=zoom)


def test_help(snap_compare: SnapCompare, floor: StillFloor) -> None:
    async def help_screen(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(app(floor), terminal_size=(80, 24), run_before=help_screen)
