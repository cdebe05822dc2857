"""Evo Voice /portal/activity over HTTP: ServiceStack paging, sorting and formats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ccmon.sim.render.evo import ACCOUNTS
from tests.support.sim import running_sim, sim_client


@pytest.fixture(scope="module")
def evo() -> Iterator[httpx.Client]:
    # A busier Evo floor than the tests' default, so that some sessions are always live.
    with running_sim(speed=0, rate_limit=False, interactions_per_day=5_000) as sim:
        sim.clock.advance(3600)
        with sim_client(sim, "evo") as client:
            yield client


def activity(client: httpx.Client, **params: str) -> dict[str, Any]:
    response = client.get("portal/activity", params=params)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_pages_count_from_zero(evo: httpx.Client) -> None:
    first = activity(evo, Page="0", CountPerPage="10")
    total = first["totalCount"]
    assert total > 20
    assert len(first["items"]) == 10
    assert first["totalPages"] == -(-total // 10)
    assert first["hasMorePages"] is True
    last = activity(evo, Page=str(first["totalPages"] - 1), CountPerPage="10")
    assert 1 <= len(last["items"]) <= 10
    assert last["hasMorePages"] is False
    ids = [
        s["id"]
        for p in range(first["totalPages"])
        for s in activity(evo, Page=str(p), CountPerPage="10")["items"]
    ]
    assert len(ids) == len(set(ids)) == total


def test_simplified_paging(evo: httpx.Client) -> None:
    page = activity(evo, SimplifiedPaging="true", CountPerPage="25")
    assert (page["totalCount"], page["totalPages"]) == (0, 0)
    assert page["hasMorePages"] is True
    beyond = activity(evo, SimplifiedPaging="true", CountPerPage="25", Page="999")
    assert beyond["items"] == []
    assert beyond["hasMorePages"] is False


def test_all_and_query_names_in_any_case(evo: httpx.Client) -> None:
    everything = activity(evo, All="true")
    assert len(everything["items"]) == everything["totalCount"]
    assert activity(evo, countperpage="3", page="1")["items"] == everything["items"][3:6]


def test_newest_first_by_default_and_sortable(evo: httpx.Client) -> None:
    created = [s["dateCreated"] for s in activity(evo, All="true")["items"]]
    assert created == sorted(created, reverse=True)
    ascending = activity(evo, All="true", SortField="DateCreated", SortOrder="Ascend")
    assert [s["dateCreated"] for s in ascending["items"]] == sorted(created)


def test_date_window(evo: httpx.Client) -> None:
    window = {"StartDateTime": "2024-07-18T13:00:00Z", "EndDateTime": "2024-07-18T14:00:00Z"}
    items = activity(evo, All="true", **window)["items"]
    assert items
    assert all("2024-07-18T13:00" <= s["dateCreated"] <= "2024-07-18T14:00" for s in items)
    assert evo.get("portal/activity", params={"StartDateTime": "later"}).status_code == 400


def test_live_and_ended_sessions(evo: httpx.Client) -> None:
    items = activity(evo, All="true")["items"]
    ended = [s for s in items if s["ended"]]
    live = [s for s in items if not s["ended"]]
    assert ended
    assert live
    assert {s["channel"] for s in items} <= {"Voice", "Chat", "Fax"}
    assert all(s["callState"] == "Disconnected" and s["dateCompleted"] for s in ended)
    answered = [s for s in ended if s["answeredByName"]]
    assert answered
    for session in answered:
        roles = [m["role"] for m in session["members"]]
        assert roles == ["Caller", "Agent"]
        assert session["members"][1]["displayName"] == session["answeredByName"]
    missed = [s for s in items if s["wasMissed"]]
    assert all(s["outcome"] in ("Abandoned", "Expired") for s in missed)
    assert all(s["log"] and s["log"][0]["message"] for s in items)


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        ("portal/activity", {"format": "json"}, "text/html"),
        ("portal/activity.json", {}, "text/html"),
        ("portal/activity", {}, "application/json"),
        ("portal/activity", {}, "*/*"),
    ],
)
def test_json_by_accept_suffix_or_format(
    evo: httpx.Client, path: str, params: dict[str, str], accept: str
) -> None:
    response = evo.get(path, params=params, headers={"Accept": accept})
    assert response.headers["content-type"] == "application/json"
    assert "items" in response.json()


def test_a_browser_gets_html(evo: httpx.Client) -> None:
    response = evo.get("portal/activity", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert "&quot;items&quot;" in response.text


def test_account_id_narrows_the_list_to_an_account_the_login_reaches(
    evo: httpx.Client,
) -> None:
    everything = {s["id"]: s for s in activity(evo, All="true")["items"]}
    by_account = {
        account_id: {s["id"] for s in activity(evo, All="true", AccountId=account_id)["items"]}
        for account_id, _ in ACCOUNTS
    }
    assert all(by_account.values())
    assert set().union(*by_account.values()) == set(everything)
    names = dict(ACCOUNTS)
    for account_id, ids in by_account.items():
        assert {everything[i]["accountId"] for i in ids} == {account_id}
        assert {everything[i]["accountName"] for i in ids} == {names[account_id]}


def test_an_account_the_login_does_not_reach_is_forbidden(evo: httpx.Client) -> None:
    response = evo.get("portal/activity", params={"AccountId": "0123456789abcdef01234567"})
    assert response.status_code == 403
    assert "0123456789abcdef01234567" in response.json()["message"]
