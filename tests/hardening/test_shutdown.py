"""Quitting while data arrives: timers that fire during shutdown must not crash the app.

The engine keeps publishing until the app unmounts, and every diff arms a 0.1 s flush timer;
the status bar ticks on another timer. Textual closes the screens (removing every widget)
before it stops the app's own timers, so a flush or tick can run against a screen that has
no widgets left. Seen in the fault-matrix runs as ``NoMatches: No nodes match 'KpiStrip'``
and a traceback instead of a clean quit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ccmon.domain import Agent, AgentState, Collection
from ccmon.engine.diff import Diff
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.ui.app import CcmonApp


async def test_a_flush_and_a_tick_after_the_widgets_are_gone_do_nothing() -> None:
    app = CcmonApp(Engine([]))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    agent = Agent("ccai", "1", "Ann", AgentState.AVAILABLE, "Available", None, None)
    event = DiffEvent(Collection.AGENTS, "ccai", datetime.now(UTC), Diff(added={agent.key: agent}))
    # What the timers would do if they fired now, as they can during shutdown.
    app._on_diff(event)
    app._apply_pending()
    app._tick()
    assert not app.is_running
