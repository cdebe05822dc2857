"""``--demo``: the built-in simulated contact center, started for the length of a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEMO_SEED = 1


@contextmanager
def demo_environment(**overrides: Any) -> Iterator[dict[str, str]]:
    """Start the simulator on free loopback ports; yield the ``CCMON_*`` variables for it.

    Tokens are random per run; the real rate limits are on, so the demo shows ccmon working
    within them exactly as against a vendor.
    """
    from ccmon.sim.config import SimConfig
    from ccmon.sim.runner import SimServer

    with SimServer(SimConfig(seed=DEMO_SEED, **overrides)) as sim:
        yield dict(sim.env)
