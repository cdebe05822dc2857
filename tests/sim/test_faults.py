"""Fault injection: every kind switched on, seen by a client, and switched off again."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from ccmon.sim.faults import Fault, FaultKind, parse_faults
from ccmon.sim.runner import SimServer
from ccmon.sim.serve.corrupt import HOSTILE_TEXT, UNKNOWN_ENUM
from ccmon.sim.vendors import Vendor
from tests.support.sim import running_sim, sim_client

MakeSim = Callable[..., SimServer]
ENDPOINTS = {"ccai": "agents", "alo": "periods", "evo": "portal/activity"}


@pytest.fixture
def open_sim() -> Iterator[SimServer]:
    """No rate limit, so that only the injected faults shape the answers."""
    with running_sim(rate_limit=False) as sim:
        yield sim


def get(sim: SimServer, vendor: str, **kwargs: Any) -> httpx.Response:
    with sim_client(sim, vendor, **kwargs) as client:
        return client.get(ENDPOINTS[vendor])


def test_fault_specs() -> None:
    parsed = parse_faults("ccai:slow=3,all:html, evo:auth=403,alo:ratelimit=none,ccai:down=2")
    assert parsed[0] == (Vendor.CCAI, Fault(FaultKind.SLOW, delay_s=3.0))
    assert [vendor for vendor, fault in parsed if fault.kind is FaultKind.HTML] == list(Vendor)
    assert (Vendor.EVO, Fault(FaultKind.AUTH, status=403)) in parsed
    assert (Vendor.ALO, Fault(FaultKind.RATELIMIT, retry_after=False)) in parsed
    assert (Vendor.CCAI, Fault(FaultKind.DOWN, flap_s=2.0)) in parsed
    for bad in ("ccai", "pbx:html", "ccai:melt", "ccai:slow=fast"):
        with pytest.raises(ValueError, match="bad"):
            parse_faults(bad)


def test_slow_answers_after_the_delay(open_sim: SimServer) -> None:
    open_sim.faults.set("ccai", "slow", delay_s=0.6)
    with pytest.raises(httpx.ReadTimeout):
        get(open_sim, "ccai", timeout=0.2)
    started = time.monotonic()
    assert get(open_sim, "ccai").status_code == 200
    assert time.monotonic() - started >= 0.55
    open_sim.faults.clear("ccai")
    started = time.monotonic()
    assert get(open_sim, "ccai").status_code == 200
    assert time.monotonic() - started < 0.5


def test_a_stop_does_not_wait_for_slow_requests(make_sim: MakeSim) -> None:
    sim = make_sim(rate_limit=False)
    sim.faults.set("evo", "slow")  # 15 s by default: past a 10 s client timeout
    with pytest.raises(httpx.ReadTimeout):
        get(sim, "evo", timeout=0.3)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 5


def test_error5xx(open_sim: SimServer) -> None:
    open_sim.faults.set("alo", "error5xx")
    statuses = {get(open_sim, "alo").status_code for _ in range(12)}
    assert statuses <= {500, 502, 503}
    assert len(statuses) > 1
    open_sim.faults.set("alo", "error5xx", probability=0.0)
    assert get(open_sim, "alo").status_code == 200


def test_html_error_page(open_sim: SimServer) -> None:
    open_sim.faults.set("evo", "html")
    response = get(open_sim, "evo")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "502 Bad Gateway" in response.text


def test_bad_json(open_sim: SimServer) -> None:
    open_sim.faults.set("ccai", "badjson")
    response = get(open_sim, "ccai")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_wrong_types(open_sim: SimServer) -> None:
    open_sim.faults.set("ccai", "wrongtype")
    agents = get(open_sim, "ccai").json()
    assert agents[0]["call_count"] == "many"
    assert isinstance(agents[1]["status"], str), "an object became a string"
    assert "id" not in agents[1]
    assert any(a.get("created_at") == "String" for a in agents)
    assert any(a.get("online") == "yes" for a in agents)
    open_sim.faults.set("alo", "wrongtype")
    periods = get(open_sim, "alo").json()["periods"]
    assert "id" not in periods[1]


def test_auth_fault(open_sim: SimServer) -> None:
    open_sim.faults.set("ccai", "auth")
    assert get(open_sim, "ccai").status_code == 401
    open_sim.faults.set("ccai", "auth", status=403)
    forbidden = get(open_sim, "ccai")
    assert forbidden.status_code == 403
    assert forbidden.json() == {"message": "Forbidden"}


def test_ratelimit_storm(open_sim: SimServer) -> None:
    open_sim.faults.set("evo", "ratelimit")
    storm = [get(open_sim, "evo") for _ in range(3)]
    assert {r.status_code for r in storm} == {429}
    assert all(r.headers["Retry-After"] == "1" for r in storm)
    open_sim.faults.set("evo", "ratelimit", retry_after=False)
    assert "Retry-After" not in get(open_sim, "evo").headers
    assert not any(r.rate_limited for r in open_sim.request_log("evo")), "a fault, not the limit"


def test_down_refuses_connections_until_up(open_sim: SimServer) -> None:
    port = open_sim.port("alo")
    open_sim.faults.down("alo")
    with pytest.raises(httpx.ConnectError):
        get(open_sim, "alo")
    assert get(open_sim, "evo").status_code == 200, "the other vendors stay up"
    open_sim.faults.up("alo")
    assert open_sim.port("alo") == port
    assert get(open_sim, "alo").status_code == 200


def test_down_drops_kept_alive_connections(open_sim: SimServer) -> None:
    with sim_client(open_sim, "ccai") as client:
        assert client.get("user_statuses").status_code == 200
        open_sim.faults.down("ccai")
        with pytest.raises((httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError)):
            client.get("user_statuses")
        open_sim.faults.up("ccai")
        assert client.get("user_statuses").status_code == 200


def test_flapping(open_sim: SimServer) -> None:
    open_sim.faults.set("evo", "down", flap_s=0.25)
    outcomes: set[int] = set()
    deadline = time.monotonic() + 3
    while len(outcomes) < 2 and time.monotonic() < deadline:
        try:
            outcomes.add(get(open_sim, "evo", timeout=1).status_code)
        except httpx.TransportError:
            outcomes.add(0)
        time.sleep(0.05)
    assert outcomes == {0, 200}
    open_sim.faults.clear("evo")
    assert get(open_sim, "evo").status_code == 200


def texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in texts(item)]
    if isinstance(node, dict):
        return [text for value in node.values() for text in texts(value)]
    return []


def test_hostile_text(open_sim: SimServer) -> None:
    for vendor in ENDPOINTS:
        open_sim.faults.set(vendor, "hostile")
    agents = get(open_sim, "ccai").json()
    seen = set(texts(agents))
    assert seen >= set(HOSTILE_TEXT), "every hostile string is planted somewhere"
    assert any(len(text) >= 10_000 for text in seen)
    assert any("\x1b]52;" in text for text in seen)
    assert agents[0]["created_at"] == "String", "every fourth record has a date reading String"
    assert UNKNOWN_ENUM in seen
    assert agents[0]["first_name"] is None, "every fifth record has a null name"
    sessions = get(open_sim, "evo", params={"CountPerPage": 10}).json()["items"]
    assert any(
        text in HOSTILE_TEXT for s in sessions for text in (s["fromName"], s["holdQueueName"])
    )
    assert sessions[0]["channel"] == UNKNOWN_ENUM
    periods = get(open_sim, "alo").json()["periods"]
    assert {p["name"] for p in periods} <= set(HOSTILE_TEXT) | {None}


def test_faults_clear_and_the_world_keeps_running(open_sim: SimServer) -> None:
    before = get(open_sim, "ccai").json()
    open_sim.faults.set("ccai", "html")
    open_sim.faults.set("ccai", "badjson")
    assert {f.kind for f in open_sim.faults.active("ccai")} == {FaultKind.HTML, FaultKind.BADJSON}
    open_sim.clock.advance(3600)
    assert get(open_sim, "ccai").status_code == 502
    open_sim.faults.clear()
    assert open_sim.faults.active("ccai") == []
    after = get(open_sim, "ccai").json()
    assert max(a["status_updated_at"] for a in after) > max(b["status_updated_at"] for b in before)


def test_faults_from_the_start(make_sim: MakeSim) -> None:
    sim = make_sim(
        rate_limit=False,
        faults=((Vendor.EVO, Fault(FaultKind.HTML)), (Vendor.ALO, Fault(FaultKind.DOWN))),
    )
    assert get(sim, "evo").status_code == 502
    with pytest.raises(httpx.ConnectError):
        get(sim, "alo")
    assert get(sim, "ccai").status_code == 200
    sim.faults.clear()
    assert get(sim, "alo").status_code == 200
