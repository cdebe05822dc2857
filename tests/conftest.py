"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from ccmon.sim.runner import SimServer
from tests.support.redis_server import RedisServer, running_redis
from tests.support.sim import running_sim


@pytest.fixture(autouse=True)
def own_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A state dir per test (the shared request budget lives there): tests run in parallel
    processes, and two of them against simulators on the same port must not share a budget.
    Subprocesses a test starts inherit it. The data dir too: every engine a test runs
    records its history there, never in the user's own."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_DATA_HOME", str(state / "data"))
    return state


@pytest.fixture
def sim() -> Iterator[SimServer]:
    """A running simulator with the test configuration (seed 7, 30x clock, real rate limits)."""
    with running_sim() as server:
        yield server


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimServer]]:
    """Start simulators with config overrides: ``make_sim(agents=5, rate_limit=False)``."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> SimServer:
            return stack.enter_context(running_sim(**overrides))

        yield start


@pytest.fixture
def sim_env(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The CCMON_* environment variables pointing at ``sim``, set for the test."""
    for name, value in sim.env.items():
        monkeypatch.setenv(name, value)
    return sim.env


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port, for this test only."""
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server
