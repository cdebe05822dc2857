"""``--demo``: the built-in simulated contact center, started for the length of a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ccmon.sim.config import SimConfig

DEMO_SEED = 1
"""The demo's day unless ``--seed`` picks another: a normal floor, a rush two minutes in."""


def demo_config(seed: int | None = None, **overrides: Any) -> SimConfig:
    """The demo's simulator: the default floor and day (calm, then a rush), ``seed``'s world."""
    from ccmon.sim.config import SimConfig

    return SimConfig(seed=DEMO_SEED if seed is None else seed, **overrides)


@contextmanager
def demo_environment(seed: int | None = None, **overrides: Any) -> Iterator[dict[str, str]]:
    """Start the simulator on free loopback ports; yield the ``CCMON_*`` variables for it.

    Tokens are random per run; the real rate limits are on, so the demo shows ccmon working
    within them exactly as against a vendor.
    """
    from ccmon.sim.runner import SimServer

    with SimServer(demo_config(seed, **overrides)) as sim:
        yield dict(sim.env)
