"""Ending a hub loop that reads Redis: bounded, whatever the cancellation turns into."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel_within(task: asyncio.Task[None] | None, seconds: float) -> None:
    """Cancel ``task`` and wait for it at most ``seconds``. redis-py can turn a cancellation
    inside a read into a connection error that a retrying loop would swallow: the loop must
    also check its own stop flag, set before this is called."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        async with asyncio.timeout(seconds):
            await task
