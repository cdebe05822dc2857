"""Pointing ccmon's own sources at a running simulator, on the simulator's clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.sim.runner import SimServer
from ccmon.sources.base import Source


def sim_now(sim: SimServer) -> Callable[[], datetime]:
    """The simulated "now": a test simulator's clock is not today's."""
    return lambda: datetime.fromtimestamp(sim.clock.now(), UTC)


def sim_sources(sim: SimServer, **env: str) -> list[Source]:
    settings = load_settings(env={**sim.env, "CCMON_CONFIG": os.devnull, **env})
    return build_sources(settings, now=sim_now(sim))


UNTHROTTLED = {
    "CCMON_CCAI_RATE": "100",
    "CCMON_ALO_RATE": "100",
    "CCMON_EVO_RATE": "100",
    "CCMON_CCAI_BURST": "10",
}
