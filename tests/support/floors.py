"""Typed access, for tests, to the implementation behind an app's :class:`Floor`.

Screens only see the ``Floor`` protocol; a test that feeds the store directly or reads the
live engine's feed states says which implementation it built.
"""

from __future__ import annotations

from ccmon.engine.engine import Engine
from ccmon.engine.floor import StoreFloor
from ccmon.engine.store import Store
from ccmon.ui.app import CcmonApp


def store_of(app: CcmonApp) -> Store:
    """The store behind ``app``'s floor (every implementation in ccmon keeps one)."""
    floor = app.engine
    assert isinstance(floor, StoreFloor), f"{type(floor).__name__} keeps no store"
    return floor.store


def live_engine(app: CcmonApp) -> Engine:
    """``app``'s floor, which the test built as a live :class:`Engine`."""
    floor = app.engine
    assert isinstance(floor, Engine), f"{type(floor).__name__} is not the live engine"
    return floor
