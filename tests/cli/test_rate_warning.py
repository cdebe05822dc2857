"""A rate above what the vendor documents is kept, but said on start, in one line."""

from __future__ import annotations

import pytest

from ccmon.sim.runner import SimServer
from tests.support.cli import Run


def point_at(sim: SimServer, monkeypatch: pytest.MonkeyPatch, **changes: str) -> None:
    for name, value in {**sim.env, "CCMON_CONFIG": "/dev/null", **changes}.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ({"CCMON_CCAI_RATE": "100"}, "ccai.rate = 100, burst = 1"),
        ({"CCMON_CCAI_RATE": "2"}, "ccai.rate = 2, burst = 1"),
        ({"CCMON_CCAI_BURST": "5"}, "ccai.rate = 1, burst = 5"),
    ],
)
def test_a_rate_above_the_documented_one_is_said_on_start(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch, setting: dict[str, str], said: str
) -> None:
    point_at(sim, monkeypatch, **setting)
    result = ccmon("doctor")
    assert result.code == 0, result.out
    [line] = result.err.splitlines()
    assert line.startswith(f"ccmon: warning: {said} is above the 1 request/second CCAI documents")


def test_the_documented_rate_says_nothing(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch, CCMON_CCAI_RATE="0.5", CCMON_ALO_RATE="5")  # ALO documents none
    result = ccmon("doctor")
    assert result.code == 0, result.out
    assert result.err == ""
