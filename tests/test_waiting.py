"""The one wait of the test suite: bounded, and its failure says what did not happen."""

from __future__ import annotations

import time

import pytest

from tests.support.waiting import eventually, wait_for


async def test_returns_as_soon_as_the_condition_holds() -> None:
    calls: list[float] = []

    def third_time() -> bool:
        calls.append(time.monotonic())
        return len(calls) >= 3

    await eventually(third_time, "the third call")
    assert len(calls) == 3


async def test_fails_after_the_bound_naming_what_it_waited_for() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"not within 0\.2 s: the agents on screen"):
        await eventually(lambda: False, "the agents on screen", within=0.2)
    assert 0.2 <= time.monotonic() - started < 5


async def test_without_a_description_the_condition_s_source_says_it() -> None:
    with pytest.raises(AssertionError, match=r"lambda: 1 \+ 1 == 3"):
        await wait_for(None, lambda: 1 + 1 == 3, 0.1)
