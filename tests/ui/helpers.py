"""Kept for imports in the screen tests: the helpers live in :mod:`tests.support`."""

from tests.support.app import FAST, applied, make_app
from tests.support.waiting import wait_for

__all__ = ["FAST", "applied", "make_app", "wait_for"]
