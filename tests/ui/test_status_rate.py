"""The status bar says when the limiter runs below the configured rate (after 429s)."""

from __future__ import annotations

from ccmon.engine.engine import Engine
from ccmon.engine.health import Health, SourceHealth
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.status_bar import StatusBar


def _health(effective: float) -> SourceHealth:
    return SourceHealth(
        "ccai", Health.OK, 1.0, 30, 57, 3, 40, None, (), 0, 0, rate=100.0, effective_rate=effective
    )


async def _line(effective: float, width: int) -> str:
    app = CcmonApp(Engine([]))
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        bar = app.query_one(StatusBar)
        bar.show([_health(effective)], paused=False)
        return bar.render().plain.splitlines()[0]


async def test_a_lowered_rate_is_shown_wide_and_narrow() -> None:
    assert "at 0.5/s of 100/s" in await _line(0.5, 160)
    assert "at 0.5/s of 100/s" in await _line(0.5, 80)


async def test_the_configured_rate_is_not_shown() -> None:
    assert "/s of" not in await _line(100.0, 160)
