"""The detail view (Enter on a row) reads like the rest of the screen, not like raw JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ccmon.domain import Queue
from ccmon.ui import format as fmt
from ccmon.ui.screens.detail import record_lines

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_times_read_as_local_clock_and_age_and_seconds_as_durations() -> None:
    joined = NOW - timedelta(seconds=219)
    queue = Queue("ccai", "10", "Main Line/Billing", "call", 3, 219, joined, ("1", "2"))
    lines = dict(
        line.split(None, 1)
        for line in record_lines(queue, mask_pii=False, now=NOW.timestamp()).plain.splitlines()
    )
    assert lines["longest_wait_s"] == "3:39"
    assert lines["oldest_since"] == f"{fmt.clock(joined)} (3:39 ago)"
    assert lines["agent_ids"] == "1, 2"
    assert lines["in_queue"] == "3"
