"""Waiting for a condition in async tests, with a bound and a message that says what failed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Pause = Callable[[float], Awaitable[object]]


async def eventually(
    condition: Callable[[], bool],
    what: str = "condition",
    within: float = 10.0,
    pause: Pause = asyncio.sleep,
    step: float = 0.05,
) -> None:
    """Pause in ``step``s until ``condition`` holds; fail naming ``what`` after ``within`` s.

    Pass ``pause=pilot.pause`` inside ``App.run_test()`` so the app gets to process messages.
    """
    for _ in range(max(1, int(within / step))):
        if condition():
            return
        await pause(step)
    if not condition():
        raise AssertionError(f"not within {within} s: {what}")
