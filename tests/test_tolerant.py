"""Per-field degradation and per-record skipping in vendor payload parsing."""

from __future__ import annotations

from datetime import UTC, datetime

from ccmon.sources.ccai import models as ccai
from ccmon.sources.evo import models as evo
from ccmon.sources.tolerant import ParseTally, parse_records


def test_clean_records_parse_without_cost() -> None:
    tally = ParseTally()
    rows = parse_records(ccai.AgentCurrentStatus, [{"id": 1, "status": "Available"}], tally)
    assert rows[0].id == "1"
    assert (tally.records, tally.skipped, tally.degraded) == (1, 0, 0)


def test_placeholder_date_becomes_none_and_is_counted() -> None:
    tally = ParseTally()
    [row] = parse_records(
        ccai.AgentCurrentStatus,
        [{"id": 7, "status_updated_at": "String", "on_hold": False}],
        tally,
    )
    assert row.status_updated_at is None
    assert row.on_hold is False
    assert tally.degraded == 1
    assert tally.samples == ["AgentCurrentStatus.status_updated_at: datetime_from_date_parsing"]


def test_wrong_type_in_nested_object_only_loses_that_field() -> None:
    tally = ParseTally()
    [row] = parse_records(
        ccai.Agent,
        [{"id": 5, "first_name": "Ana", "status": {"id": 0, "name": {"bad": 1}}, "online": "yes"}],
        tally,
    )
    assert row.first_name == "Ana"
    assert row.status is not None
    assert row.status.id == "0"
    assert row.status.name is None
    assert row.online is True  # "yes" is a valid lax bool
    assert tally.degraded == 1


def test_a_string_where_an_object_belongs_is_dropped() -> None:
    tally = ParseTally()
    [row] = parse_records(ccai.Agent, [{"id": 5, "status": "Available"}], tally)
    assert row.status is None
    assert tally.degraded == 1


def test_bad_list_items_are_removed_not_the_list() -> None:
    tally = ParseTally()
    raw = {"id": 5, "teams": [{"name": "A"}, "junk", {"name": "B"}, 42]}
    [row] = parse_records(ccai.Agent, [raw], tally)
    assert [t.name for t in row.teams or []] == ["A", "B"]
    assert tally.degraded == 2
    assert raw["teams"] == [{"name": "A"}, "junk", {"name": "B"}, 42]  # input untouched


def test_record_without_usable_id_is_skipped_and_the_page_survives() -> None:
    tally = ParseTally()
    rows = parse_records(
        ccai.AgentCurrentStatus,
        [{"id": 1}, {"status": "Available"}, {"id": {"nested": True}}, None, "x", {"id": 2}],
        tally,
    )
    assert [r.id for r in rows] == ["1", "2"]
    assert tally.skipped == 4
    assert tally.records == 2


def test_numbers_are_accepted_where_text_is_expected() -> None:
    tally = ParseTally()
    [menu] = parse_records(
        ccai.Menu,
        [{"id": 1693, "agent_assignments": [{"assignee": {"id": 97, "agent_number": 97}}]}],
        tally,
    )
    assert menu.agent_assignments is not None
    assert menu.agent_assignments[0].assignee is not None
    assert menu.agent_assignments[0].assignee.agent_number == "97"
    assert tally.degraded == 0


def test_team_assignees_may_be_an_object_or_a_list() -> None:
    tally = ParseTally()
    rows = parse_records(
        ccai.Team,
        [{"id": 1, "assignees": {"id": 3, "name": "X"}}, {"id": 2, "assignees": [{"id": 4}]}],
        tally,
    )
    assert isinstance(rows[0].assignees, ccai.Person)
    assert isinstance(rows[1].assignees, list)


def test_camel_pascal_and_snake_keys_all_work_for_evo() -> None:
    tally = ParseTally()
    rows = parse_records(
        evo.Session,
        [
            {"id": "a", "dialState": "None", "dateCreated": "2024-01-01T00:00:00Z"},
            {"Id": "b", "DialState": "Active", "DateCreated": "String"},
            {"id": "c", "dial_state": "Passive"},
        ],
        tally,
    )
    assert [(r.id, r.dial_state) for r in rows] == [
        ("a", "None"),
        ("b", "Active"),
        ("c", "Passive"),
    ]
    assert rows[0].date_created == datetime(2024, 1, 1, tzinfo=UTC)
    assert rows[1].date_created is None
    assert tally.degraded == 1


def test_naive_times_are_taken_as_utc() -> None:
    tally = ParseTally()
    [row] = parse_records(
        ccai.AgentCurrentStatus, [{"id": 1, "status_updated_at": "2021-05-10T17:45:01"}], tally
    )
    assert row.status_updated_at == datetime(2021, 5, 10, 17, 45, 1, tzinfo=UTC)
