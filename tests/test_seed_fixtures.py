"""The vendor-doc examples in tests/fixtures/seeds are valid, non-empty JSON.

They are the contract every vendor model and the simulator are tested against; see the README in
that folder for where each one comes from and which syntax repairs were made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
FILES: list[Path] = sorted(SEEDS.glob("*.json"))

EXPECTED: frozenset[str] = frozenset(
    {
        "alo_periods.json",
        "alo_actions.json",
        "alo_error_invalid_period.json",
        "alo_error_not_found.json",
        "alo_error_invalid_form_fields.json",
        "evo_activity.json",
        "ccai_agents_model.json",
        "ccai_agents.json",
        "ccai_agents_current_status.json",
        "ccai_agent_activity_logs_model.json",
        "ccai_agent_activity_logs.json",
        "ccai_calls_model.json",
        "ccai_calls.json",
        "ccai_chats_model.json",
        "ccai_chats.json",
        "ccai_menus_model.json",
        "ccai_menus.json",
        "ccai_menus_tree.json",
        "ccai_menu_single.json",
        "ccai_menus_current_status.json",
        "ccai_menus_sla.json",
        "ccai_menus_sla_by_queue_groups.json",
        "ccai_user_statuses_model.json",
        "ccai_user_statuses.json",
        "ccai_teams_model.json",
        "ccai_teams.json",
        "ccai_team_single.json",
        "ccai_teams_tree.json",
    }
)


def test_every_documented_example_has_a_fixture() -> None:
    missing = EXPECTED - {path.name for path in FILES}
    assert not missing, f"missing seed fixtures: {sorted(missing)}"


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_fixture_is_non_empty_json(path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        data: object = json.load(handle)
    assert isinstance(data, dict | list)
    assert data
