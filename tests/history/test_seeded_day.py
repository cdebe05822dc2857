"""Interval figures against the simulator's seeded day, contact by contact: the SQL sums
give what the live ContactStats gives over the same contacts, bucketed by arrival."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ccmon.domain import Collection, Interaction, Phase
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import ContactStats
from ccmon.history.store import HistoryStore, contact_row
from ccmon.still import still_floor

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
"""An afternoon: the simulated day has run for hours, with every outcome."""


def test_seeded_day_intervals_match_the_live_formula(tmp_path: Path) -> None:
    floor = still_floor(seed=3, start=START)
    contacts = [
        r
        for (collection, _), records in floor.records.items()
        if collection is Collection.INTERACTIONS
        for r in records
        if isinstance(r, Interaction)
    ]
    policy = SlaPolicy(min_contacts=1)
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.write(contacts=[r for c in contacts if (r := contact_row(c, policy)) is not None])

    expected: dict[datetime, ContactStats] = defaultdict(ContactStats)
    spanning = 0
    for c in contacts:
        if c.created_at is None:
            continue
        start = c.created_at.replace(minute=c.created_at.minute // 15 * 15, second=0, microsecond=0)
        expected[start].add(c, policy)
        if c.answered_at is not None and c.answered_at >= start + timedelta(minutes=15):
            spanning += 1
    phases = {c.phase for c in contacts}
    assert {Phase.ENDED, Phase.ABANDONED} <= phases  # the day holds every kind of outcome
    assert spanning > 0  # and contacts answered in a later interval than they arrived in
    assert sum(s.short_abandoned for s in expected.values()) > 0

    day = START.replace(hour=0)
    rows = store.intervals(day, day + timedelta(days=1), interval_min=15, policy=policy)
    assert [r.start for r in rows] == sorted(expected)
    for row in rows:
        live = expected[row.start]
        assert row.stats.offered == live.offered
        assert row.stats.answered == live.answered
        assert row.stats.abandoned == live.abandoned
        assert row.stats.short_abandoned == live.short_abandoned
        assert row.stats.in_sl == live.in_sl
        assert row.sl_pct == pytest.approx(live.sl_pct(policy))
        assert row.stats.asa_s == pytest.approx(live.asa_s)  # sums in another order
        assert row.stats.aht_s == pytest.approx(live.aht_s)
