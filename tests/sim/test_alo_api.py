"""ALO.ai periods and actions over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import TEST_START, running_sim, sim_client

NOW = TEST_START.strftime("%Y-%m-%dT%H:%M:%S.000Z")
STATUSES = {"created", "assigned", "doing", "closed", "canceled"}


@pytest.fixture(scope="module")
def alo() -> Iterator[httpx.Client]:
    with running_sim(speed=0, rate_limit=False) as sim:
        sim.clock.advance(2 * 3600)
        with sim_client(sim, "alo") as client:
            yield client


def periods(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    response = client.get("periods", params=params)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["periods"]
    return found


def test_the_current_period_contains_now(alo: httpx.Client) -> None:
    found = periods(alo)
    assert [p["id"] for p in found] == sorted(p["id"] for p in found)
    now = "2024-07-18T16:00:00.000Z"  # two sim hours after the start
    current = [p for p in found if p["start_date"] <= now < p["end_date"]]
    assert len(current) == 1
    assert current[0]["name"].endswith("Evening shift")
    assert found[-1]["start_date"] > now, "the next period is already planned"


def test_periods_overlapping_a_range(alo: httpx.Client) -> None:
    everything = periods(alo)
    morning = periods(alo, start_date="2024-07-18T09:00:00.000Z", end_date="2024-07-18T10:00:00Z")
    assert [p["name"] for p in morning] == ["24-07-18 Day shift"]
    later = periods(alo, start_date="2024-07-18T15:00:00.000Z")
    assert len(later) == len(everything)
    assert alo.get("periods", params={"start_date": "soon"}).status_code == 400


def test_actions_move_through_their_statuses(alo: httpx.Client) -> None:
    day = periods(alo)[0]
    actions = alo.get(f"periods/{day['id']}/actions").json()["actions"]
    assert len(actions) > 5
    assert {a["status"] for a in actions} <= STATUSES
    assert {"closed", "doing"} <= {a["status"] for a in actions}
    for action in actions:
        assert action["periodId"] == day["id"]
        assert action["periodName"] == day["name"]
        assert day["start_date"] <= action["createdTime"] < day["end_date"]
        if action["status"] == "closed":
            assert action["createdTime"] <= action["assignedTime"] <= action["doingTime"]
            assert action["doingTime"] <= action["closedTime"]
            assert action["assignedUserNames"]
        if action["status"] == "created":
            assert action["assignedUserNames"] == []
    assert [a["periodActionId"] for a in actions] == list(range(1, len(actions) + 1))
    dispatched = [a for a in actions if a["aiDispatched"]]
    assert all(a["classification"] == "Callback request" for a in dispatched)


def test_form_fields_are_returned_on_request(alo: httpx.Client) -> None:
    day = periods(alo)[0]
    fields = '["Customer Name", "Severity"]'
    actions = alo.get(f"periods/{day['id']}/actions", params={"form_fields": fields}).json()
    for action in actions["actions"]:
        assert set(action["formFields"]) <= {"Customer Name", "Severity"}
        missing = {"Customer Name", "Severity"} - set(action["formFields"])
        assert len(action["notes"]) == len(missing)
    repeated = (("form_fields[]", "Customer Name"),)
    again = alo.get(f"periods/{day['id']}/actions", params=repeated).json()["actions"]
    assert all(set(a["formFields"]) <= {"Customer Name"} for a in again)
    plain = alo.get(f"periods/{day['id']}/actions").json()["actions"]
    assert "formFields" not in plain[0]


@pytest.mark.parametrize("value", ["Customer Name", '{"a": 1}', "[1, 2]"])
def test_form_fields_must_be_an_array_of_strings(alo: httpx.Client, value: str) -> None:
    day = periods(alo)[0]
    response = alo.get(f"periods/{day['id']}/actions", params={"form_fields": value})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid form_fields")


def test_period_errors(sim: SimServer) -> None:
    with sim_client(sim, "alo") as client:
        assert client.get("periods/12.5/actions").status_code == 400
        assert client.get("periods/-3/actions").status_code == 400
        assert client.get("periods/424242/actions").status_code == 404
