"""Regenerate the SVG screenshots in this folder from the demo floor, frozen.

    python screenshots/generate.py

Same seed, start time and clock every run, so a screenshot only changes when the screen does.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from ccmon.still import StillFloor, still_floor
from ccmon.ui.app import CcmonApp

HERE = Path(__file__).resolve().parent

Action = Callable[[Pilot[None]], Awaitable[None]]


async def _noop(pilot: Pilot[None]) -> None:
    await pilot.pause()


def press(*keys: str) -> Action:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return run


SHOTS: list[tuple[str, tuple[int, int], dict[str, object], Action]] = [
    ("overview", (160, 48), {}, _noop),
    ("wall-pane-200x60", (200, 60), {}, _noop),
    ("compact-80x24", (80, 24), {}, _noop),
    ("wallboard", (120, 32), {"wallboard": True}, _noop),
    ("light-theme", (160, 48), {"theme": "light"}, _noop),
    ("agent-detail", (120, 40), {}, press("j", "j", "enter")),
]


async def shoot(
    floor: StillFloor, name: str, size: tuple[int, int], kw: dict[str, object], action: Action
) -> None:
    app = CcmonApp(floor.engine(), floor.options(), demo=True, **kw)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)  # the first batch of diffs is applied after 0.1 s
        await action(pilot)
        (HERE / f"{name}.svg").write_text(app.export_screenshot(title=f"ccmon {name}"))


def main() -> None:
    os.environ["TZ"] = "UTC"  # times on screen are local: pin them
    time.tzset()
    floor = still_floor()
    for name, size, kw, action in SHOTS:
        asyncio.run(shoot(floor, name, size, kw, action))
        print(f"wrote screenshots/{name}.svg")


if __name__ == "__main__":
    main()
