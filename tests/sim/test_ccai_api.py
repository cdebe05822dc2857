"""CCAI endpoints over HTTP: pagination, filters, sorting, paths and error shapes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import TEST_START, running_sim, sim_client

MakeSim = Callable[..., SimServer]


@pytest.fixture(scope="module")
def frozen() -> Iterator[SimServer]:
    """A simulator with a stopped clock and no rate limit: every read sees the same world."""
    with running_sim(speed=0, rate_limit=False) as sim:
        yield sim


@pytest.fixture
def ccai(frozen: SimServer) -> Iterator[httpx.Client]:
    with sim_client(frozen, "ccai") as client:
        yield client


def links(response: httpx.Response) -> dict[str, str]:
    return {str(rel): str(link["url"]) for rel, link in response.links.items()}


def test_pages_carry_link_total_and_per_page(ccai: httpx.Client) -> None:
    first = ccai.get("agents", params={"per": 5})
    assert first.status_code == 200
    assert len(first.json()) == 5
    assert first.headers["Total"] == "12"
    assert first.headers["Per-Page"] == "5"
    assert set(links(first)) == {"next", "last"}
    assert "page=3" in links(first)["last"]

    last = ccai.get("agents", params={"per": 5, "page": 3})
    assert len(last.json()) == 2, "the last page is short"
    assert set(links(last)) == {"first", "prev"}
    assert ccai.get("agents", params={"per": 5, "page": 4}).json() == []


def test_following_next_links_visits_every_record_once(ccai: httpx.Client) -> None:
    seen: list[int] = []
    url: str | None = "calls?per=40"
    while url:
        response = ccai.get(url)
        seen += [call["id"] for call in response.json()]
        url = links(response).get("next")
    everything = ccai.get("calls", params={"per": 100}).headers["Total"]
    assert len(seen) == len(set(seen)) == int(everything)
    assert seen == sorted(seen)


def test_per_is_capped_at_100(ccai: httpx.Client) -> None:
    response = ccai.get("agent_activity_logs", params={"per": 1000})
    assert response.headers["Per-Page"] == "100"
    assert len(response.json()) == 100


def test_pagination_headers_can_be_switched_off(make_sim: MakeSim) -> None:
    sim = make_sim(speed=0, rate_limit=False, pagination_headers=False)
    with sim_client(sim, "ccai") as client:
        response = client.get("calls", params={"per": 30, "page": 1})
        assert not {"link", "total", "per-page"} & set(response.headers)
        total, page = 0, 1
        while True:
            chunk = client.get("calls", params={"per": 30, "page": page}).json()
            total += len(chunk)
            if len(chunk) < 30:
                break
            page += 1
    assert total > 30


def test_updated_at_from_returns_only_what_changed_since(ccai: httpx.Client) -> None:
    everything = ccai.get("calls", params={"per": 100}).json()
    while len(everything) % 100 == 0:
        page = len(everything) // 100 + 1
        everything += ccai.get("calls", params={"per": 100, "page": page}).json()
    since = "2024-07-18T13:45:00.000Z"
    expected = sorted(c["id"] for c in everything if c["updated_at"] >= since)
    changed = ccai.get("calls", params={"updated_at[from]": since, "per": 100}).json()
    assert expected
    assert [c["id"] for c in changed] == expected
    assert len(expected) < len(everything)


def test_time_ranges_and_id_lists_combine(ccai: httpx.Client) -> None:
    calls = ccai.get("calls", params={"per": 10}).json()
    wanted = [calls[1]["id"], calls[4]["id"]]
    response = ccai.get("calls", params=[("id[]", str(wanted[0])), ("id[]", str(wanted[1]))])
    assert [c["id"] for c in response.json()] == wanted
    agent_id = 101
    logs = ccai.get(
        "agent_activity_logs",
        params={"agent_id[]": agent_id, "started_at[from]": "2024-07-18T13:00:00Z", "per": 100},
    ).json()
    assert logs
    assert all(log["agent_id"] == agent_id for log in logs)
    assert all(log["started_at"] >= "2024-07-18T13:00:00.000Z" for log in logs)


def test_sorting_by_a_column(ccai: httpx.Client) -> None:
    params = {"sort_column": "updated_at", "sort_direction": "DESC", "per": "50"}
    stamps = [c["updated_at"] for c in ccai.get("chats", params=params).json()]
    assert stamps == sorted(stamps, reverse=True)
    ids = [a["id"] for a in ccai.get("agents", params={"sort_direction": "DESC"}).json()]
    assert ids == sorted(ids, reverse=True)


def test_a_bad_timestamp_is_a_400(ccai: httpx.Client) -> None:
    response = ccai.get("calls", params={"updated_at[from]": "yesterday"})
    assert response.status_code == 400
    assert "updated_at[from]" in response.json()["message"]


def test_menus_and_teams_answer_under_both_spellings(ccai: httpx.Client) -> None:
    for path in ("menus/tree", "menu/tree", "teams/tree", "team/tree", "menu/current_status"):
        assert ccai.get(path).status_code == 200, path
    plural = ccai.get("menus/sla_by_queue_groups", params={"channel": "call", "minutes": 15})
    singular = ccai.get("menu/sla_by_queue_group", params={"channel": "call", "minutes": 15})
    assert plural.json() == singular.json()


def test_one_spelling_only_when_configured(make_sim: MakeSim) -> None:
    sim = make_sim(speed=0, rate_limit=False, menu_paths="plural")
    with sim_client(sim, "ccai") as client:
        assert client.get("menus/tree").status_code == 200
        missing = client.get("menu/tree")
        assert missing.status_code == 404
        assert missing.json() == {"message": "Not Found"}


def test_single_records(ccai: httpx.Client) -> None:
    menu = ccai.get("menus", params={"per": 100}).json()[3]
    single = ccai.get(f"menus/{menu['id']}").json()
    assert isinstance(single, list), "the docs show a one-item list"
    assert single[0]["id"] == menu["id"]
    team = ccai.get("teams").json()[1]
    assert ccai.get(f"teams/{team['id']}").json() == team
    assert ccai.get("menus/999999").status_code == 404
    assert ccai.get("teams/999999").json() == {"message": "Record not found"}


def test_sla_needs_channel_and_minutes(ccai: httpx.Client) -> None:
    wrong: list[dict[str, str]] = [
        {},
        {"channel": "call"},
        {"minutes": "15"},
        {"channel": "fax", "minutes": "5"},
    ]
    for params in wrong:
        response = ccai.get("menus/sla", params=params)
        assert response.status_code == 400, params
        assert "message" in response.json()
    rows = ccai.get("menus/sla", params={"channel": "call", "minutes": 120}).json()
    assert rows
    assert all(row["sla"] is None or 0 <= row["sla"] <= 100 for row in rows)
    assert any(row["sla"] is not None for row in rows)


def test_sla_is_null_for_an_empty_window(make_sim: MakeSim) -> None:
    sim = make_sim(speed=0, rate_limit=False, interactions_per_day=0)
    with sim_client(sim, "ccai") as client:
        rows = client.get("menus/sla_by_queue_groups", params={"channel": "chat", "minutes": 5})
        assert rows.json()
        assert all(row["sla"] is None for row in rows.json())


def test_current_status_lists_only_queues_with_someone_waiting(ccai: httpx.Client) -> None:
    rows = ccai.get("menus/current_status").json()
    assert rows, "the test world opens in a rush"
    for row in rows:
        assert row["in_queue_count"] >= 1
        assert row["comm_type"] in ("Call", "Chat")
        assert row["oldest_in_queue"] <= TEST_START.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert row["average_queue_duration"] <= row["oldest_duration_in_queue"]
        assert row["total_queue_duration"] >= row["oldest_duration_in_queue"]


def test_agents_current_status_lists_logged_in_agents(ccai: httpx.Client) -> None:
    statuses = ccai.get("agents/current_status").json()
    agents = ccai.get("agents").json()
    online = {a["id"] for a in agents if a["online"]}
    assert {row["id"] for row in statuses} == online
    by_id = {a["id"]: a for a in agents}
    for row in statuses:
        assert row["status"] == by_id[row["id"]]["status"]["name"]
        assert row["status_id"] == by_id[row["id"]]["status"]["id"]
        assert row["on_hold"] or row["on_hold_duration"] == 0
