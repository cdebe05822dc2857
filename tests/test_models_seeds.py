"""Every JSON example in the vendor docs parses with ccmon's models, and keeps its values.

Model blocks use placeholders ("string" in a boolean, 0 for ids); those cost ignored fields,
never a record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from ccmon.sources.alo import models as alo
from ccmon.sources.ccai import models as ccai
from ccmon.sources.evo import models as evo
from ccmon.sources.tolerant import ParseTally, parse_records

SEEDS = Path(__file__).parent / "fixtures" / "seeds"

# fixture → (model, where the records are, records expected)
CASES: dict[str, tuple[type[BaseModel], str | None, int]] = {
    "ccai_agents.json": (ccai.Agent, None, 3),
    "ccai_agents_model.json": (ccai.Agent, None, 1),
    "ccai_agents_current_status.json": (ccai.AgentCurrentStatus, None, 1),
    "ccai_agent_activity_logs.json": (ccai.ActivityLog, None, 7),
    "ccai_agent_activity_logs_model.json": (ccai.ActivityLog, None, 1),
    "ccai_calls.json": (ccai.Call, None, 1),
    "ccai_calls_model.json": (ccai.Call, None, 1),
    "ccai_chats.json": (ccai.Chat, None, 2),
    "ccai_chats_model.json": (ccai.Chat, None, 1),
    "ccai_menus.json": (ccai.Menu, None, 1),
    "ccai_menus_model.json": (ccai.Menu, None, 1),
    "ccai_menus_tree.json": (ccai.Menu, None, 5),
    "ccai_menu_single.json": (ccai.Menu, None, 1),
    "ccai_menus_current_status.json": (ccai.MenuCurrentStatus, None, 1),
    "ccai_menus_sla.json": (ccai.MenuSla, None, 3),
    "ccai_menus_sla_by_queue_groups.json": (ccai.QueueGroupSla, None, 3),
    "ccai_user_statuses.json": (ccai.UserStatus, None, 11),
    "ccai_user_statuses_model.json": (ccai.UserStatus, None, 1),
    "ccai_teams.json": (ccai.Team, None, 2),
    "ccai_teams_model.json": (ccai.Team, None, 1),
    "ccai_team_single.json": (ccai.Team, None, 1),
    "ccai_teams_tree.json": (ccai.Team, None, 1),
    "alo_periods.json": (alo.Period, "periods", 1),
    "alo_actions.json": (alo.Action, "actions", 1),
    "evo_activity.json": (evo.Session, "items", 1),
}


def load(name: str) -> Any:
    return json.loads((SEEDS / name).read_text(encoding="utf-8"))


def records(name: str) -> list[Any]:
    data = load(name)
    key = CASES[name][1]
    if key is not None:
        data = data[key]
    return data if isinstance(data, list) else [data]


def test_every_fixture_with_records_has_a_case() -> None:
    errors = {p.name for p in SEEDS.glob("alo_error_*.json")}
    assert {p.name for p in SEEDS.glob("*.json")} - errors == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_parses_without_losing_a_record(name: str) -> None:
    model, _, expected = CASES[name]
    tally = ParseTally()
    parsed = parse_records(model, records(name), tally)
    assert len(parsed) == expected
    assert tally.skipped == 0


def test_examples_proper_lose_no_field_either() -> None:
    """The examples (not the model blocks with their placeholders) are clean data."""
    for name in CASES:
        if name.endswith("_model.json") or name == "evo_activity.json":
            continue
        tally = ParseTally()
        parse_records(CASES[name][0], records(name), tally)
        assert tally.degraded == 0, (name, tally.samples)


def test_values_survive() -> None:
    [call] = parse_records(ccai.Call, records("ccai_calls.json"), ParseTally())
    assert call.menu_path is not None
    assert call.menu_path.materialized_path == "Death Star/Carpentry"
    assert call.queue_durations is not None
    assert call.queue_durations[0].service_level_event == "in_sla"
    [team] = parse_records(ccai.Team, records("ccai_team_single.json"), ParseTally())
    assert isinstance(team.assignees, list)
    assert [p.agent_number for p in team.assignees] == ["77", "78", "79"]
    [action] = parse_records(alo.Action, records("alo_actions.json"), ParseTally())
    assert action.ai_dispatched is False
    assert action.assigned_user_names == ["Example User 1", "Example User 2"]
    [period] = parse_records(alo.Period, records("alo_periods.json"), ParseTally())
    assert period.markers is not None


def test_evo_placeholder_dates_become_none_not_a_lost_session() -> None:
    tally = ParseTally()
    [session] = parse_records(evo.Session, records("evo_activity.json"), tally)
    assert session.id == "String"
    assert session.date_created is None
    assert session.channel == "Voice"
    assert tally.degraded == 3  # dateCompleted, dateCreated, dateLastModified
