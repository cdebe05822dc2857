"""The request log: what tests use to check how a client behaved."""

from __future__ import annotations

import time

import httpx

from ccmon.sim.runner import SimServer
from ccmon.sim.vendors import Vendor
from tests.support.sim import ADMIN_TOKEN, TEST_START, sim_client


def test_each_request_is_logged_with_its_outcome(sim: SimServer) -> None:
    before = time.monotonic()
    with sim_client(sim, "ccai") as client:
        ok = client.get("calls", params={"per": 5, "updated_at[from]": "2024-07-18T13:00:00Z"})
        client.get("calls")
    with sim_client(sim, "evo") as client:
        client.get("portal/activity")
    first, limited = sim.request_log("ccai")
    assert before <= first.monotonic_s <= limited.monotonic_s <= time.monotonic()
    assert first.vendor is Vendor.CCAI
    assert (first.method, first.path) == ("GET", "/manager/api/v1/calls")
    assert "updated_at%5Bfrom%5D=2024-07-18T13%3A00%3A00Z" in first.query
    assert first.status == 200
    assert first.response_bytes == len(ok.content)
    assert not first.rate_limited
    assert first.fault is None
    assert first.sim_time >= TEST_START.timestamp()
    assert limited.status == 429
    assert limited.rate_limited
    assert [r.vendor for r in sim.request_log()] == [Vendor.CCAI, Vendor.CCAI, Vendor.EVO]


def test_faults_are_named_in_the_log(sim: SimServer) -> None:
    sim.faults.set("alo", "hostile")
    sim.faults.set("evo", "error5xx")
    with sim_client(sim, "alo") as client:
        client.get("periods")
    with sim_client(sim, "evo") as client:
        client.get("portal/activity")
    assert [r.fault for r in sim.request_log()] == ["hostile", "error5xx"]


def test_the_log_is_on_the_admin_listener(sim: SimServer) -> None:
    with sim_client(sim, "alo") as client:
        client.get("periods")
    admin = httpx.Client(base_url=sim.admin_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    with admin:
        records = admin.get("/requests", params={"vendor": "alo"}).json()
        assert [(r["vendor"], r["path"], r["status"]) for r in records] == [
            ("alo", "/periods", 200)
        ]
        assert set(records[0]) >= {"monotonic_s", "sim_time", "query", "response_bytes"}
        assert admin.delete("/requests").status_code == 200
    assert sim.request_log() == []
