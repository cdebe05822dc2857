"""The one way each kind of value is written: spans of time, ISO instants, variable names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from ccmon.config.env_names import env_name, env_prefix
from ccmon.domain.serialize import iso
from ccmon.text import DASH, duration, hms


def test_durations_grow_their_units_and_the_replay_always_shows_hours() -> None:
    spans = [None, -5, 42.9, 187, 3723, 2 * 86_400 + 3 * 3600 + 59, 100 * 86_400]
    assert [duration(s) for s in spans] == [DASH, "0s", "42s", "3:07", "1:02:03", "2d 03h", ">99d"]
    assert [hms(s) for s in (-1, 42, 187, 3723, 90_000)] == [
        "0:00:00",
        "0:00:42",
        "0:03:07",
        "1:02:03",
        "25:00:00",
    ]


def test_iso_instants_are_utc_with_or_without_milliseconds() -> None:
    local = datetime(2026, 11, 25, 10, 30, 0, 123_456, tzinfo=timezone(timedelta(hours=2)))
    assert iso(local) == "2026-11-25T08:30:00Z"
    assert iso(local, millis=True) == "2026-11-25T08:30:00.123Z"
    assert iso(datetime(2024, 1, 1, 1, 1, tzinfo=UTC), millis=True) == "2024-01-01T01:01:00.000Z"
    assert iso(None) is None


def test_environment_variable_names() -> None:
    assert env_name("ccai", "base_url") == "CCMON_CCAI_BASE_URL"
    assert env_name("UI", "Mask_PII") == "CCMON_UI_MASK_PII"
    assert env_prefix("evo") == "CCMON_EVO_"
