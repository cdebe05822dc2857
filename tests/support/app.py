"""Building a CcmonApp against a loopback server (simulator or seed server)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions

FAST = {"CCMON_CCAI_RATE": "50", "CCMON_ALO_RATE": "50", "CCMON_EVO_RATE": "50"}


def make_app(env: Mapping[str, str], options: UiOptions | None = None, **kw: object) -> CcmonApp:
    settings = load_settings(env={"CCMON_CONFIG": os.devnull, **FAST, **env})
    return CcmonApp(Engine(build_sources(settings)), options, **kw)  # type: ignore[arg-type]


def applied(app: CcmonApp) -> bool:
    """Every diff the floor has handed ``app`` is on screen, figures included: none waits for
    the next batch (``FLUSH_DELAY_S``) or behind a pause. What a test waits for instead of a
    sleep longer than that delay."""
    return app.metrics is not None and not app._pending
