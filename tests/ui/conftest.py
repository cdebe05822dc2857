"""Fixtures for the screen tests."""

from __future__ import annotations

import pytest

from ccmon.still import StillFloor, still_floor


@pytest.fixture(scope="session")
def floor() -> StillFloor:
    """The demo floor read once with the simulator's clock stopped (see ccmon.still)."""
    return still_floor()
