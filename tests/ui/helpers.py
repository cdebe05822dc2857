"""Building a CcmonApp against a loopback server, and waiting on it without sleeps."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from textual.pilot import Pilot

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from tests.support.waiting import eventually

FAST = {"CCMON_CCAI_RATE": "50", "CCMON_ALO_RATE": "50", "CCMON_EVO_RATE": "50"}


def make_app(env: Mapping[str, str], options: UiOptions | None = None, **kw: object) -> CcmonApp:
    settings = load_settings(env={"CCMON_CONFIG": os.devnull, **FAST, **env})
    return CcmonApp(Engine(build_sources(settings)), options, **kw)  # type: ignore[arg-type]


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], within: float = 15.0) -> None:
    """Let the app run until ``condition`` holds; fail with a clear message after ``within``."""
    await eventually(condition, within=within, pause=pilot.pause)
