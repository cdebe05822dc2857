"""The admin listener: faults, pokes and the clock over HTTP, behind the admin token."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import ADMIN_TOKEN, sim_client


@pytest.fixture
def admin(sim: SimServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=sim.admin_url, headers=headers) as client:
        yield client


def test_admin_wants_its_token(sim: SimServer) -> None:
    assert httpx.get(sim.admin_url + "/health").status_code == 401
    wrong = {"Authorization": "Bearer ccai-test-token"}
    assert httpx.get(sim.admin_url + "/health", headers=wrong).status_code == 401


def test_health(admin: httpx.Client) -> None:
    body = admin.get("/health").json()
    assert body["ok"] is True
    assert body["sim_time"].startswith("2024-07-18T14:")


def test_faults_by_spec_and_by_fields(sim: SimServer, admin: httpx.Client) -> None:
    active = admin.post("/faults", json={"spec": "evo:slow=2"}).json()
    assert active["evo"][0]["kind"] == "slow"
    assert active["evo"][0]["delay_s"] == 2.0
    admin.post("/faults", json={"vendor": "ccai", "kind": "error5xx", "statuses": [503]})
    with sim_client(sim, "ccai") as client:
        assert client.get("agents").status_code == 503
    assert admin.delete("/faults", params={"vendor": "ccai"}).status_code == 200
    listed = admin.get("/faults").json()
    assert listed["ccai"] == []
    assert [f["kind"] for f in listed["evo"]] == ["slow"]
    assert admin.post("/faults", json={"spec": "evo:melt"}).status_code == 400


def test_down_and_up(sim: SimServer, admin: httpx.Client) -> None:
    assert admin.post("/faults/alo/down").status_code == 200
    with sim_client(sim, "alo") as client:
        with pytest.raises(httpx.ConnectError):
            client.get("periods")
        assert admin.post("/faults/alo/up").status_code == 200
        assert client.get("periods").status_code == 200


def test_poke_an_agent_and_read_the_world(sim: SimServer, admin: httpx.Client) -> None:
    agent = admin.get("/world").json()["agents"][0]
    response = admin.post(f"/agents/{agent['id']}/status", json={"status": "Special Task"})
    assert response.status_code == 200
    world = admin.get("/world").json()
    assert world["agents"][0]["status"] == "Special Task"
    assert world["queues"][0]["path"] == "Main Line/Billing"
    assert admin.post("/agents/1/status", json={"status": "Break"}).status_code == 400
    bad = admin.post(f"/agents/{agent['id']}/status", json={"status": "Napping"})
    assert bad.status_code == 400


def test_clock(admin: httpx.Client) -> None:
    before = admin.get("/health").json()["sim_time"]
    moved = admin.post("/clock", json={"advance_s": 7200, "speed": 0}).json()
    assert moved["speed"] == 0
    assert moved["sim_time"] > before
    assert moved["sim_time"].startswith("2024-07-18T16:")
