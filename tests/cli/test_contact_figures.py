"""A contact's wait and duration in ``snapshot`` are what they are at ``generated_at``: a
contact still waiting has waited since it came in, one in progress has talked since it was
answered (CCAI sends 0 for both until the contact is answered or ends)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pytest

from ccmon.sim.runner import SimServer
from tests.support.cli import FAST_SOURCES, Run


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_waiting_and_talking_contacts_count_up_to_generated_at(
    ccmon: Run, make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo floor, its clock stopped now: contacts queue and talk.
    sim = make_sim(
        seed=1, start=None, speed=0, rate_limit=False, agents=25, interactions_per_day=3000
    )
    for name, value in {**sim.env, **FAST_SOURCES, "CCMON_CONFIG": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    result = ccmon("snapshot", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    now = _at(doc["generated_at"])
    ccai = [c for c in doc["interactions"] if c["source"] == "ccai"]
    waiting = [c for c in ccai if c["phase"] == "waiting"]
    talking = [c for c in ccai if c["phase"] == "active" and c["answered_at"]]
    assert waiting
    assert talking
    for contact in waiting:
        so_far = (now - _at(contact["created_at"])).total_seconds()
        assert contact["wait_s"] is not None
        assert abs(contact["wait_s"] - so_far) <= 1, contact
    assert max(c["wait_s"] for c in waiting) > 30  # not a vendor's 0
    for contact in talking:
        so_far = (now - _at(contact["answered_at"])).total_seconds()
        assert contact["duration_s"] is not None
        assert abs(contact["duration_s"] - so_far) <= 1, contact
    ended = [c for c in ccai if c["phase"] == "ended" and c["duration_s"]]
    assert ended  # the vendor's own figures stay as they were
