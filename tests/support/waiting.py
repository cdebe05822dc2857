"""Waiting for a condition in async tests, never for a fixed time: bounded, and failing with
a message that says what did not happen.

    await wait_for(pilot, lambda: table.row_count == 12, what="every agent on screen")
    await eventually(lambda: engine.store.count(Collection.AGENTS) > 0, "the first agents")

Inside ``App.run_test()`` pass the pilot: its ``pause`` lets the app process messages
between checks. ``eventually`` is the same wait outside an app.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

WITHIN_S = 15.0
"""Default bound: generous, as the machine running the suite may be busy; a wait that holds
returns as soon as its condition does."""
STEP_S = 0.05


async def wait_for(
    pilot: Pilot[Any] | None,
    condition: Callable[[], object],
    within: float = WITHIN_S,
    *,
    what: str | None = None,
) -> None:
    """Check ``condition`` every ``STEP_S`` until it holds; after ``within`` seconds fail
    naming ``what`` (by default the condition's own source line)."""
    pause = pilot.pause if pilot is not None else asyncio.sleep
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {within:g} s: {what or describe(condition)}")
        await pause(STEP_S)


async def eventually(
    condition: Callable[[], object], what: str | None = None, within: float = WITHIN_S
) -> None:
    """:func:`wait_for` outside an app."""
    await wait_for(None, condition, within, what=what)


def describe(condition: Callable[[], object]) -> str:
    """The source text of ``condition`` (a lambda's line), or its name."""
    try:
        text = " ".join(line.strip() for line in inspect.getsource(condition).splitlines())
    except (OSError, TypeError):
        return getattr(condition, "__qualname__", repr(condition))
    return text if len(text) <= 200 else text[:199] + "…"
