"""From the ``[history]`` settings to a recorder running with an engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ccmon.config import locations
from ccmon.config.settings import Settings
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder

DEMO_SUFFIX = "-demo"
"""``--demo`` keeps its simulated days apart from the real floor's (when no path is set)."""


def history_path(settings: Settings, *, demo: bool = False) -> Path:
    """``[history] path`` (``CCMON_HISTORY_PATH``), else the platform's user data dir."""
    if settings.history.path is not None:
        return settings.history.path
    path = locations.history_file()
    return path.with_stem(path.stem + DEMO_SUFFIX) if demo else path


def history_options(settings: Settings, *, demo: bool = False) -> HistoryOptions:
    history = settings.history
    return HistoryOptions(
        path=history_path(settings, demo=demo),
        interval_min=history.interval_min,
        retention_days=history.retention_days,
        keep_customer=history.keep_customer,
        policy=settings.sla.policy(),
    )


def record_history(
    engine: Engine,
    settings: Settings,
    *,
    demo: bool = False,
    say: Callable[[str], None] | None = None,
    every_queue: bool = False,
) -> HistoryRecorder | None:
    """Record ``engine``'s floor while it runs (it starts and stops the recorder), unless
    ``[history] enabled = false``. ``say`` gets the one "history off: …" line, if any;
    ``every_queue``: keep every queue's rows of today at hand (a hub publishes them)."""
    if not settings.history.enabled:
        return None
    options = history_options(settings, demo=demo)
    recorder = HistoryRecorder(engine, options, say=say, every_queue=every_queue)
    engine.companions.append(recorder)
    return recorder


def say_once(say: Callable[[str], None]) -> Callable[[str], None]:
    """``say``, but each line only the first time (a hub records once per term)."""
    said: set[str] = set()

    def once(line: str) -> None:
        if line not in said:
            said.add(line)
            say(line)

    return once
