"""``ccmon report`` and ``ccmon history path``: the day recorded by a real ``watch --demo``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest

from ccmon.domain import Phase
from ccmon.domain.policy import SlaPolicy
from ccmon.history.days import day_bounds
from ccmon.history.report import read_day, render_csv, render_markdown, render_table
from ccmon.history.store import HistoryStore, IntervalRow, contact_row
from tests.history.helpers import DAY, at, ccmon, contact

REQUIRED = {
    "start",
    "queue",
    "channel",
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_sl",
    "sl_pct",
    "asa_s",
    "aht_s",
    "longest_wait_s",
}


def test_watch_records_the_day_and_report_shows_it(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    watched = ccmon("watch", "--demo", "--duration", "6", history=history)
    assert watched.returncode == 0, watched.stderr
    assert "history off" not in watched.stderr

    shown = ccmon("report", "--format", "json", history=history)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert set(document) == {"date", "interval_min", "timezone", "intervals", "total"}
    assert document["interval_min"] == 15
    rows = document["intervals"]
    assert rows
    assert all(set(row) >= REQUIRED for row in rows)
    assert all(row["queue"] is None for row in rows)
    start, end = day_bounds(date.fromisoformat(document["date"]))
    recorded = sqlite3.connect(history).execute(
        "SELECT COUNT(*) FROM contacts WHERE created >= ? AND created < ?",
        (start.timestamp(), end.timestamp()),
    )
    offered = sum(row["offered"] for row in rows)
    assert document["total"]["offered"] == offered == recorded.fetchone()[0]
    assert offered > 0
    assert sqlite3.connect(history).execute("SELECT COUNT(*) FROM samples").fetchone()[0] >= 1

    table = ccmon("report", history=history)
    assert table.returncode == 0
    assert "TOTAL" in table.stdout
    assert "local time" in table.stdout

    before = history.read_bytes()
    snap = ccmon("snapshot", "--demo", "--intervals", "--format", "json", history=history)
    assert snap.returncode == 0, snap.stderr
    assert json.loads(snap.stdout)["intraday"]["intervals"] == rows
    assert history.read_bytes() == before  # a snapshot records nothing


def test_no_history_for_the_date_is_one_line_and_exit_1(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    missing = ccmon("report", "--date", "2001-01-01", history=history)
    assert missing.returncode == 1
    assert missing.stderr.startswith("ccmon: no history for 2001-01-01 in ")
    assert len(missing.stderr.splitlines()) == 1
    assert not history.exists()  # reading creates nothing
    path = ccmon("history", "path", history=history)
    assert (path.returncode, path.stdout.strip()) == (0, str(history))


def test_a_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    bad = ccmon("report", "--date", "25.11.2026", history=tmp_path / "h.sqlite3")
    assert bad.returncode == 1
    assert "is not a day as YYYY-MM-DD" in bad.stderr


POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1)


@pytest.fixture
def known_day(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    contacts = [
        contact("a", at(8, 1), Phase.ENDED, wait=20, talk=220),
        contact("b", at(8, 14, 50), Phase.ENDED, wait=30, talk=100),
        contact("c", at(8, 5), Phase.ABANDONED, wait=4),
        contact("d", at(8, 20), Phase.ACTIVE, wait=5, kind="chat"),
        contact("e", at(8, 21), Phase.ABANDONED, wait=50, queue="Main/Sales"),
    ]
    store.write(contacts=[r for c in contacts if (r := contact_row(c, POLICY)) is not None])
    store.close()
    return path


def test_the_report_renderings_agree(known_day: Path) -> None:
    report = read_day(known_day, DAY.date(), interval_min=15, policy=POLICY, tz=UTC)
    assert report is not None
    document = report.document()
    assert document["timezone"] == "UTC"
    assert [r["offered"] for r in document["intervals"]] == [3, 2]
    assert document["total"]["offered"] == 5
    assert document["total"]["answered_in_sl"] == 2  # a (at the threshold) and d
    assert document["total"]["sl_pct"] == pytest.approx(100 * 2 / 4)
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert list(rows[0]) == list(IntervalRow.KEYS)
    assert [r["start"] for r in rows] == ["2026-11-25T08:00:00Z", "2026-11-25T08:15:00Z", "total"]
    lines = render_table(report).splitlines()
    assert lines[0].endswith("(2)")  # two intervals: the total row is not counted
    assert lines[3].startswith("08:00")
    assert lines[-1].startswith("TOTAL")
    markdown = render_markdown(report).splitlines()
    assert markdown[2].startswith("| START | OFFERED |")
    assert markdown[-1].startswith("| TOTAL | 5 |")


def test_one_queue_has_a_row_per_channel(known_day: Path) -> None:
    report = read_day(
        known_day, DAY.date(), interval_min=30, policy=POLICY, queue="Main/Billing", tz=UTC
    )
    assert report is not None
    got = [(r.start, r.queue, r.channel, r.stats.offered) for r in report.rows]
    assert got == [(at(8, 0), "Main/Billing", "call", 3), (at(8, 0), "Main/Billing", "chat", 1)]
    assert "QUEUE" in render_table(report)


def test_another_day_has_no_report(known_day: Path) -> None:
    other = (DAY + timedelta(days=1)).date()
    assert read_day(known_day, other, interval_min=15, policy=POLICY, tz=UTC) is None
