"""A simulator without rate limits for the serve tests (they poll fast, like a busy floor)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ccmon.sim.runner import SimServer
from tests.support.serving import Serving, serving


@pytest.fixture
def open_sim(make_sim: Callable[..., SimServer]) -> SimServer:
    return make_sim(rate_limit=False)


@pytest.fixture
def served(open_sim: SimServer) -> Iterator[Serving]:
    with serving(open_sim) as running:
        yield running


@pytest.fixture
def serve_with(open_sim: SimServer) -> Iterator[Callable[..., Serving]]:
    """Start ``serving(open_sim, **options)``; stopped at the end of the test."""
    import contextlib

    with contextlib.ExitStack() as stack:

        def start(**options: Any) -> Serving:
            return stack.enter_context(serving(open_sim, **options))

        yield start
