"""The shape contract: what the simulator sends has every key the vendor docs show, typed alike.

The docs' examples (tests/fixtures/seeds, see the README there) are compared with live
answers: every key of an example record must be present in every simulator record, with
the same JSON type. A null on either side matches anything, because examples show nulls
for fields a real server fills (and the other way round: a queued call has no
``assigned_at``); but each key an example fills must be filled in at least one simulator
record. The few keys the simulator never fills are listed, with the reason, in
NEVER_FILLED. Evo's ``{"String": "String"}`` stands for a map with any keys.

The model blocks of the CCAI docs are checked for keys only: their values are
placeholders (``"hidden": "string"``) that the examples contradict, and where a model and
an example disagree on a type (team ``assignees``: object or list) the example wins.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import running_sim, sim_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

NEVER_FILLED = {
    "virtual_agent": "the simulated floor has no virtual agents",
    "heldByUserId": "filled only while a session is on hold, which a snapshot may not catch",
    "ringQueueId": "filled only while a session waits or rings",
}


# Evo's sample writes a Dictionary<string, string> as {"String": "String"}: any key.
MAP_KEY = "String"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def merged(value: Any) -> Any:
    """One representative of a seed value: list items merged key by key, nulls filled."""
    if isinstance(value, dict):
        return {key: merged(item) for key, item in value.items()}
    if not isinstance(value, list) or not value:
        return value
    items = [merged(item) for item in value]
    if not all(isinstance(item, dict) for item in items):
        return [next((item for item in items if item is not None), None)]
    union: dict[str, Any] = {}
    for item in items:
        for key, field in item.items():
            if union.get(key) is None:
                union[key] = field
    return [union]


def differences(seed: Any, got: Any, path: str, *, types: bool = True) -> list[str]:
    if seed is None or got is None:
        return []
    if kind(seed) != kind(got):
        return [f"{path}: docs show {kind(seed)}, simulator sends {kind(got)}"] if types else []
    problems = []
    if isinstance(seed, dict) and list(seed) == [MAP_KEY]:
        for key, value in got.items():
            problems += differences(seed[MAP_KEY], value, f"{path}.{key}", types=types)
    elif isinstance(seed, dict):
        for key, value in seed.items():
            if key not in got:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += differences(value, got[key], f"{path}.{key}", types=types)
    elif isinstance(seed, list) and seed:
        for index, item in enumerate(got):
            problems += differences(seed[0], item, f"{path}[{index}]", types=types)
    return problems


@dataclass(frozen=True)
class Case:
    fixture: str
    vendor: str
    path: str  # may name {menu_id}, {team_id}, {period_id}
    params: tuple[tuple[str, str], ...] = ()

    def records(self, payload: Any) -> list[Any]:
        for envelope in ("items", "periods", "actions"):
            if isinstance(payload, dict) and envelope in payload:
                return list(payload[envelope])
        return payload if isinstance(payload, list) else [payload]


PER = (("per", "100"),)
CASES = [
    Case("ccai_agents.json", "ccai", "agents", PER),
    Case("ccai_agents_current_status.json", "ccai", "agents/current_status"),
    Case("ccai_agent_activity_logs.json", "ccai", "agent_activity_logs", PER),
    Case("ccai_calls.json", "ccai", "calls", PER),
    Case("ccai_chats.json", "ccai", "chats", PER),
    Case("ccai_menus.json", "ccai", "menus", PER),
    Case("ccai_menu_single.json", "ccai", "menus/{menu_id}"),
    Case("ccai_menus_tree.json", "ccai", "menus/tree"),
    Case("ccai_menus_current_status.json", "ccai", "menus/current_status"),
    Case("ccai_menus_sla.json", "ccai", "menus/sla", (("channel", "call"), ("minutes", "60"))),
    Case(
        "ccai_menus_sla_by_queue_groups.json",
        "ccai",
        "menus/sla_by_queue_groups",
        (("channel", "call"), ("minutes", "60")),
    ),
    Case("ccai_user_statuses.json", "ccai", "user_statuses"),
    Case("ccai_teams.json", "ccai", "teams", PER),
    Case("ccai_team_single.json", "ccai", "teams/{team_id}"),
    Case("ccai_teams_tree.json", "ccai", "teams/tree"),
    Case("alo_periods.json", "alo", "periods"),
    Case("alo_actions.json", "alo", "periods/{period_id}/actions"),
    Case("evo_activity.json", "evo", "portal/activity", (("All", "true"),)),
]
MODELS = {
    "ccai_agents_model.json": "agents",
    "ccai_agent_activity_logs_model.json": "agent_activity_logs",
    "ccai_calls_model.json": "calls",
    "ccai_chats_model.json": "chats",
    "ccai_menus_model.json": "menus/{menu_id}",
    "ccai_teams_model.json": "teams",
    "ccai_user_statuses_model.json": "user_statuses",
}


@pytest.fixture(scope="module")
def fetch() -> Iterator[Callable[[str, str, tuple[tuple[str, str], ...]], Any]]:
    """GET from a simulator three sim-hours into its day, with ids filled into the path."""
    with running_sim(speed=0, rate_limit=False) as sim:
        sim.clock.advance(3 * 3600)
        clients = {vendor: sim_client(sim, vendor) for vendor in ("ccai", "alo", "evo")}
        ids = {
            "menu_id": clients["ccai"].get("menus", params={"per": 100}).json()[-1]["id"],
            "team_id": clients["ccai"].get("teams").json()[1]["id"],
            "period_id": clients["alo"].get("periods").json()["periods"][0]["id"],
        }

        def get(vendor: str, path: str, params: tuple[tuple[str, str], ...] = ()) -> Any:
            response = clients[vendor].get(path.format(**ids), params=params)
            assert response.status_code == 200, response.text
            return response.json()

        yield get
        for client in clients.values():
            client.close()


@pytest.mark.parametrize("case", CASES, ids=[case.fixture for case in CASES])
def test_answers_have_the_documented_shape(
    case: Case, fetch: Callable[[str, str, tuple[tuple[str, str], ...]], Any]
) -> None:
    seed = merged(load(case.fixture))
    got = fetch(case.vendor, case.path, case.params)
    records = case.records(got)
    assert records, f"{case.path} answered no records to compare"
    assert differences(seed, got, case.path) == []
    example = case.records(seed)[0]
    never_filled = [
        key
        for key, value in example.items()
        if value is not None
        and key not in NEVER_FILLED
        and all(record.get(key) is None for record in records)
    ]
    assert never_filled == [], "keys the docs fill but the simulator never does"


@pytest.mark.parametrize(("fixture", "path"), sorted(MODELS.items()))
def test_answers_have_every_key_of_the_documented_models(
    fixture: str, path: str, fetch: Callable[[str, str, tuple[tuple[str, str], ...]], Any]
) -> None:
    got = fetch("ccai", path, PER if "{" not in path else ())
    model = merged(load(fixture))
    if isinstance(model, dict) and isinstance(got, list):
        model = [model]  # the menus model is a bare object; GET menus/{id} is a list
    assert differences(model, got, path, types=False) == []


@pytest.mark.parametrize(
    ("fixture", "path", "params", "status"),
    [
        ("alo_error_invalid_period.json", "periods/abc/actions", {}, 400),
        ("alo_error_not_found.json", "periods/999999/actions", {}, 404),
        ("alo_error_invalid_form_fields.json", "periods/1/actions", {"form_fields": "x"}, 400),
    ],
)
def test_alo_errors_are_the_documented_bodies(
    sim: SimServer, fixture: str, path: str, params: dict[str, str], status: int
) -> None:
    with sim_client(sim, "alo") as client:
        response: httpx.Response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json() == load(fixture)
