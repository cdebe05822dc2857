"""The rate limit: a token bucket checked on arrival, 429 with Retry-After beyond it."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx
import pytest

from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from ccmon.sim.serve.ratelimit import TokenBucket
from tests.support.sim import sim_client

MakeSim = Callable[..., SimServer]


def test_bucket_admits_one_per_interval() -> None:
    bucket = TokenBucket(rate=1.0, burst=1)
    assert bucket.take(100.0) is None
    wait = bucket.take(100.4)
    assert wait == pytest.approx(0.6)
    assert bucket.take(101.0) is None
    assert bucket.take(102.0) is None


def test_bucket_forgives_a_little_arrival_jitter_but_not_a_faster_rate() -> None:
    bucket = TokenBucket(rate=1.0, burst=1, tolerance_s=0.05)
    assert bucket.take(0.0) is None
    assert bucket.take(0.97) is None, "30 ms early is within the tolerance"
    assert bucket.take(1.97) is None
    # Sending every 0.97 s is a faster rate: the borrowed 30 ms add up and run out.
    verdicts = [bucket.take(1.97 + 0.97 * n) for n in range(1, 5)]
    assert any(wait is not None for wait in verdicts)


def test_bucket_burst() -> None:
    bucket = TokenBucket(rate=5.0, burst=5)
    assert all(bucket.take(0.0) is None for _ in range(5))
    assert bucket.take(0.0) == pytest.approx(0.2)


def test_ccai_allows_one_request_per_second(sim: SimServer) -> None:
    with sim_client(sim, "ccai") as client:
        assert client.get("user_statuses").status_code == 200
        rejected = client.get("user_statuses")
        assert rejected.status_code == 429
        assert rejected.headers["Retry-After"] == "1"
        assert rejected.json() == {"message": "Too many requests"}
        # The window under test: after the second it names, the next request goes through.
        time.sleep(float(rejected.headers["Retry-After"]))
        assert client.get("user_statuses").status_code == 200
    log = sim.request_log("ccai")
    assert [r.rate_limited for r in log] == [False, True, False]
    assert [r.status for r in log] == [200, 429, 200]


def test_every_request_counts_even_unauthorized_ones(sim: SimServer) -> None:
    url = sim.base_url("ccai") + "/user_statuses"
    assert httpx.get(url).status_code == 401
    with sim_client(sim, "ccai") as client:
        assert client.get("user_statuses").status_code == 429


def test_alo_and_evo_allow_bursts_of_five(sim: SimServer) -> None:
    with sim_client(sim, "alo") as client:
        statuses = [client.get("periods").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_rates_are_configurable(make_sim: MakeSim) -> None:
    sim = make_sim(evo_rate=RateLimit(rate=2.0, burst=2))
    with sim_client(sim, "evo") as client:
        statuses = [client.get("portal/activity").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_retry_after_as_an_http_date(make_sim: MakeSim) -> None:
    sim = make_sim(retry_after="http-date")
    with sim_client(sim, "ccai") as client:
        client.get("user_statuses")
        rejected = client.get("user_statuses")
    when = parsedate_to_datetime(rejected.headers["Retry-After"])
    assert 0 <= when.timestamp() - time.time() <= 2


def test_retry_after_can_be_left_out(make_sim: MakeSim) -> None:
    sim = make_sim(retry_after="none")
    with sim_client(sim, "ccai") as client:
        client.get("user_statuses")
        rejected = client.get("user_statuses")
    assert rejected.status_code == 429
    assert "Retry-After" not in rejected.headers


def test_rate_limiting_can_be_switched_off(make_sim: MakeSim) -> None:
    sim = make_sim(rate_limit=False)
    with sim_client(sim, "ccai") as client:
        assert {client.get("user_statuses").status_code for _ in range(20)} == {200}
