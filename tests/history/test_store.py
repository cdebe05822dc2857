"""The history store: interval figures against contacts known one by one, the schema."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ccmon.domain import Interaction, Phase
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import ContactStats
from ccmon.history.days import day_bounds
from ccmon.history.store import (
    SCHEMA_VERSION,
    AgentSeconds,
    HistoryStore,
    HistoryUnavailable,
    Sample,
    contact_row,
    total,
)
from tests.history.helpers import DAY, at, contact

POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1)

KNOWN = [
    # 08:00-08:15
    contact("a", at(8, 1), Phase.ENDED, wait=20, talk=220),  # exactly the threshold: in SL
    contact("b", at(8, 14, 50), Phase.ENDED, wait=30, talk=100),  # answered after 08:15
    contact("c", at(8, 5), Phase.ABANDONED, wait=4),  # short abandon: left out
    contact("d", at(8, 6), Phase.ABANDONED, wait=60),
    contact("e", at(8, 10), Phase.WAITING),
    # 08:15-08:30
    contact("f", at(8, 16), Phase.ACTIVE, wait=5, queue="Main/Sales", kind="chat"),
]


def _store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "history.sqlite3")


def _write(store: HistoryStore, contacts: list[Interaction] = KNOWN) -> None:
    store.write(contacts=[r for c in contacts if (r := contact_row(c, POLICY)) is not None])


def test_interval_figures_of_known_contacts(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store)
    rows = store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=POLICY)
    assert [r.start for r in rows] == [at(8, 0), at(8, 15)]
    first, second = (r.as_dict() for r in rows)
    assert first == {
        "start": "2026-11-25T08:00:00Z",
        "minutes": 15,
        "queue": None,
        "channel": None,
        "offered": 5,
        "answered": 2,
        "abandoned": 1,
        "short_abandoned": 1,
        "answered_in_sl": 1,
        "sl_pct": pytest.approx(100 / 3),
        "asa_s": 25.0,
        "aht_s": 160.0,
        "longest_wait_s": 60.0,
        "peak_waiting": None,
        "occupancy_pct": None,
    }
    assert (second["offered"], second["answered"], second["answered_in_sl"]) == (1, 1, 1)
    assert (second["sl_pct"], second["asa_s"], second["aht_s"]) == (100.0, 5.0, None)


def test_interval_sl_is_the_live_formula(tmp_path: Path) -> None:
    """The same contacts through the live ContactStats give the same figures."""
    store = _store(tmp_path)
    _write(store)
    for policy in (POLICY, SlaPolicy(), SlaPolicy(abandons_count=False, min_contacts=1)):
        live = ContactStats()
        for c in KNOWN[:5]:
            live.add(c, POLICY)
        [row, _] = store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=policy)
        assert row.sl_pct == live.sl_pct(policy)
        assert (row.stats.asa_s, row.stats.aht_s) == (live.asa_s, live.aht_s)
    assert row.sl_pct is not None


def test_a_contact_is_upserted_as_it_moves_on(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store, [contact("x", at(9, 0), Phase.WAITING)])
    _write(store, [contact("x", at(9, 0), Phase.ACTIVE, wait=12)])
    _write(store, [contact("x", at(9, 0), Phase.ENDED, wait=12, talk=300)])
    [row] = store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=POLICY)
    assert (row.stats.offered, row.stats.answered, row.stats.handled) == (1, 1, 1)
    assert (row.stats.asa_s, row.stats.aht_s) == (12.0, 300.0)


def test_per_queue_rows_and_larger_intervals(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store)
    end = DAY + timedelta(days=1)
    sales = store.intervals(DAY, end, interval_min=15, policy=POLICY, queue="Main/Sales")
    assert [(r.queue, r.channel, r.stats.offered) for r in sales] == [("Main/Sales", "chat", 1)]
    every = store.intervals(DAY, end, interval_min=60, policy=POLICY, by_queue=True)
    assert [(r.start, r.queue, r.stats.offered) for r in every] == [
        (at(8, 0), "Main/Billing", 5),
        (at(8, 0), "Main/Sales", 1),
    ]
    [hour] = store.intervals(DAY, end, interval_min=60, policy=POLICY)
    assert (hour.stats.offered, hour.stats.in_sl) == (6, 2)
    assert total(store.intervals(DAY, end, interval_min=15, policy=POLICY), POLICY)["offered"] == 6


def test_no_customer_unless_kept(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store)
    kept = contact_row(KNOWN[0], POLICY, keep_customer=True)
    assert kept is not None
    assert kept.customer == "+15550100"
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE customer IS NOT NULL").fetchone() == (0,)


def test_samples_and_agent_seconds_make_peak_and_occupancy(tmp_path: Path) -> None:
    store = _store(tmp_path)
    samples = [Sample(at(8, m), m, float(10 * m), 3, 2, 1, 0, 90.0) for m in range(20)]
    store.write(samples=samples)
    seconds = AgentSeconds()
    # 08:10-08:20 in a call (crosses 08:15), 08:20-08:30 available, 10 minutes away.
    seconds.add("ccai", "101", "in_call", at(8, 10).timestamp(), at(8, 20).timestamp())
    seconds.add("ccai", "101", "available", at(8, 20).timestamp(), at(8, 30).timestamp())
    seconds.add("ccai", "101", "away", at(8, 30).timestamp(), at(8, 40).timestamp())
    store.write(agent_seconds=seconds)
    rows = store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=POLICY)
    assert [(r.start, r.peak_waiting, r.longest_wait_s) for r in rows] == [
        (at(8, 0), 14, 140.0),
        (at(8, 15), 19, 190.0),
        (at(8, 30), None, None),
    ]
    assert [r.occupancy_pct for r in rows] == [100.0, pytest.approx(100 / 3), None]
    got = store.samples(at(8, 18), at(8, 30))
    assert [s.at for s in got] == [at(8, 18), at(8, 19)]
    assert store.agent_seconds(at(8, 0), at(9, 0)) == {
        ("ccai", "101"): {"in_call": 600.0, "available": 600.0, "away": 600.0}
    }


def test_retention_prunes_what_is_older(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store)
    store.write(samples=[Sample(at(7, 0), 1, None, None, None, None, None, None)])
    store.prune(at(8, 10))
    rows = store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=POLICY)
    assert [(r.start, r.stats.offered) for r in rows] == [(at(8, 0), 2), (at(8, 15), 1)]
    assert store.samples(DAY, DAY + timedelta(days=1)) == []


def test_a_store_from_a_newer_ccmon_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _store(tmp_path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryUnavailable, match=r"newer ccmon .*left as it is"):
        HistoryStore(path)
    assert path.read_bytes() == before


def test_reopening_keeps_the_schema_and_the_data(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write(store)
    store.close()
    again = _store(tmp_path)
    version = sqlite3.connect(again.path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
    assert len(again.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=POLICY)) == 2


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)])
def test_a_dst_day_has_every_interval_once(tmp_path: Path, day: date, hours: int) -> None:
    """The clock jumps locally; in UTC every interval is there once, none doubled or lost."""
    berlin = ZoneInfo("Europe/Berlin")
    start, end = day_bounds(day, berlin)
    assert end - start == timedelta(hours=hours)
    store = _store(tmp_path)
    moment, contacts = start - timedelta(hours=2), list[Interaction]()
    while moment < end + timedelta(hours=2):
        contacts.append(contact(f"c{len(contacts)}", moment + timedelta(minutes=1), Phase.WAITING))
        moment += timedelta(minutes=15)
    _write(store, contacts)
    rows = store.intervals(start, end, interval_min=15, policy=POLICY)
    assert len(rows) == hours * 4
    assert all(b.start - a.start == timedelta(minutes=15) for a, b in itertools.pairwise(rows))
    assert rows[0].start == start
    assert rows[-1].start.tzinfo is UTC
    assert datetime(day.year, day.month, day.day, tzinfo=berlin) == start
