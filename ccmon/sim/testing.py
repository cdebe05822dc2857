"""Simulators for tests and stills: free ports, a fixed seed, start time and tokens, a fast
clock.

    with running_sim(agents=8, rate_limit=False) as sim:
        ...

Any :class:`SimConfig` field can be overridden. The real rate limits stay on by
default (CCAI: 1 request/second), as a client under test must live with them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ccmon.sim.config import SimConfig
from ccmon.sim.runner import SimServer
from ccmon.sim.world.config import OPENING_RUSH

TEST_START = datetime(2024, 7, 18, 14, 0, tzinfo=UTC)
TEST_SEED = 7
TEST_SPEED = 30.0
CCAI_USERNAME = "demo"
# Fixed, well-known test credentials for a loopback simulator: not secrets.
CCAI_TOKEN = "ccai-test-token"  # noqa: S105
ALO_TOKEN = "alo-test-token"  # noqa: S105
EVO_TOKEN = "evo-test-token"  # noqa: S105
EVO_USERNAME = "supervisor@acme.example"
EVO_PASSWORD = "evo-test-password"  # noqa: S105
ADMIN_TOKEN = "admin-test-token"  # noqa: S105


def test_config(**overrides: Any) -> SimConfig:
    """The tests' standard configuration with ``overrides`` applied."""
    base = SimConfig(
        seed=TEST_SEED,
        speed=TEST_SPEED,
        start=TEST_START,
        agents=12,
        queues=6,
        interactions_per_day=1_500,
        spells=OPENING_RUSH,  # the floor every test and snapshot was written against
        subdomain=CCAI_USERNAME,
        ccai_token=CCAI_TOKEN,
        alo_token=ALO_TOKEN,
        evo_token=EVO_TOKEN,
        evo_username=EVO_USERNAME,
        evo_password=EVO_PASSWORD,
        admin_token=ADMIN_TOKEN,
    )
    return dataclasses.replace(base, **overrides)


test_config.__test__ = False  # type: ignore[attr-defined]  # not a test, despite the name


@contextmanager
def running_sim(**overrides: Any) -> Iterator[SimServer]:
    """A started simulator with the test configuration; stopped on exit."""
    with SimServer(test_config(**overrides)) as sim:
        yield sim
