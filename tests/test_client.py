"""Exact fault shapes against SourceClient, via httpx.MockTransport."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from ccmon.http import ErrorKind, RateLimiter, RetryPolicy, SourceClient, SourceError
from ccmon.http.auth import BasicAuth, TokenAuth
from ccmon.http.client import parse_retry_after

SECRET = "s3cr3t-token-value"
FAST_RETRY = RetryPolicy(
    attempts=3,
    total_timeout_s=5,
    wait_initial_s=0.01,
    wait_max_s=0.02,
    wait_jitter_s=0.0,
    rate_limited_s=0.5,
)


def make_client(
    handler: Callable[[httpx.Request], httpx.Response],
    *,
    rate: float = 50.0,
    auth: httpx.Auth | None = None,
    retry: RetryPolicy = FAST_RETRY,
) -> SourceClient:
    return SourceClient(
        "ccai",
        "https://acme.example.test/manager/api/v1",
        limiter=RateLimiter(rate, margin_s=0.0),
        auth=auth or BasicAuth("acme", SECRET),
        retry=retry,
        transport=httpx.MockTransport(handler),
    )


class Recorder:
    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.times.append(time.monotonic())
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        return item


async def test_json_list_comes_back_with_auth_and_accept_headers() -> None:
    rec = Recorder(httpx.Response(200, json=[{"id": 1}]))
    async with make_client(rec) as client:
        response = await client.get_json("agents", {"page": 1})
    assert response.data == [{"id": 1}]
    request = rec.requests[0]
    assert request.url.path == "/manager/api/v1/agents"
    assert request.headers["accept"] == "application/json"
    assert request.headers["authorization"].startswith("Basic ")
    assert SECRET not in str(request.url)
    assert client.counters.requests == 1
    assert client.counters.status_2xx == 1


async def test_429_retry_after_is_honoured_and_pauses_the_bucket() -> None:
    rec = Recorder(
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(200, json=[]),
    )
    async with make_client(rec) as client:
        await client.get_json("agents")
        assert rec.times[1] - rec.times[0] >= 0.99
        assert client.counters.rate_limited == 1
        assert client.counters.retries == 1


async def test_429_http_date_retry_after_is_understood() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    assert parse_retry_after(format_datetime(when, usegmt=True)) == pytest.approx(30, abs=1.5)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_429_with_an_http_date_pauses_until_that_time() -> None:
    # HTTP dates have whole seconds: "2 s from now" is 1 to 2 s away.
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    rec = Recorder(
        httpx.Response(429, headers={"Retry-After": format_datetime(until, usegmt=True)}),
        httpx.Response(200, json=[]),
    )
    async with make_client(rec) as client:
        await client.get_json("agents")
    retried_at = datetime.now(UTC) - timedelta(seconds=time.monotonic() - rec.times[1])
    assert retried_at >= until - timedelta(seconds=0.05)


async def test_429_storm_gives_up_after_its_patience_not_after_the_attempts() -> None:
    rec = Recorder(httpx.Response(429, headers={"Retry-After": "0"}))
    async with make_client(rec) as client:
        started = time.monotonic()
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert info.value.kind is ErrorKind.RATE_LIMITED
    assert "rate limited" in str(info.value)
    assert time.monotonic() - started >= FAST_RETRY.rate_limited_s
    assert len(rec.requests) > FAST_RETRY.attempts  # each one paced by the limiter's pause
    gaps = [b - a for a, b in itertools.pairwise(rec.times)]
    assert min(gaps) >= 1 / 50 - 0.002


async def test_a_run_of_429s_longer_than_the_attempts_still_ends_in_data() -> None:
    storm = [httpx.Response(429, headers={"Retry-After": "0"})] * (FAST_RETRY.attempts + 2)
    rec = Recorder(*storm, httpx.Response(200, json=[{"id": 1}]))
    async with make_client(rec) as client:
        response = await client.get_json("agents")
    assert response.data == [{"id": 1}]
    assert client.counters.rate_limited == FAST_RETRY.attempts + 2


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_failures_are_not_retried(status: int) -> None:
    rec = Recorder(httpx.Response(status, json={"message": "nope"}))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert info.value.kind is ErrorKind.AUTH
    assert len(rec.requests) == 1
    assert "check the credentials" in str(info.value)
    assert client.counters.last_error_kind == "auth failed"


async def test_5xx_is_retried_then_succeeds() -> None:
    rec = Recorder(httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[1]))
    async with make_client(rec) as client:
        response = await client.get_json("agents")
    assert response.data == [1]
    assert len(rec.requests) == 3
    assert client.counters.status_5xx == 2
    assert client.counters.retries == 2


async def test_html_502_page_gives_a_clear_error_after_bounded_retries() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    rec = Recorder(httpx.Response(502, text=page, headers={"content-type": "text/html"}))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents/current_status")
    message = str(info.value)
    assert info.value.kind is ErrorKind.SERVER
    assert "HTTP 502" in message
    assert "/agents/current_status" in message
    assert "HTML" in message
    assert len(rec.requests) == FAST_RETRY.attempts


async def test_html_with_200_is_a_bad_response_not_a_decode_traceback() -> None:
    rec = Recorder(httpx.Response(200, text="<!doctype html><p>Log in</p>"))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert info.value.kind is ErrorKind.BAD_RESPONSE
    assert "HTML page instead of JSON" in str(info.value)


async def test_malformed_json_names_endpoint_and_status() -> None:
    rec = Recorder(
        httpx.Response(200, content=b'[{"id": 1,', headers={"content-type": "application/json"})
    )
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("calls")
    assert info.value.kind is ErrorKind.BAD_RESPONSE
    assert "/calls sent malformed JSON (HTTP 200" in str(info.value)


async def test_other_4xx_is_not_retried_and_shows_vendor_message() -> None:
    rec = Recorder(httpx.Response(400, json={"message": "Invalid period_id.\x1b[31m"}))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("periods/x/actions")
    assert info.value.kind is ErrorKind.REJECTED
    assert "Invalid period_id." in str(info.value)
    assert "\x1b" not in str(info.value)
    assert len(rec.requests) == 1


async def test_timeout_is_retried_and_reported_in_words() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert info.value.kind is ErrorKind.TIMEOUT
    assert "no answer from acme.example.test on /agents" in str(info.value)
    assert len(rec.requests) == FAST_RETRY.attempts


async def test_connection_refused_on_a_real_closed_port() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = SourceClient(
        "evo",
        f"http://127.0.0.1:{port}",
        limiter=RateLimiter(50, margin_s=0.0),
        auth=TokenAuth(SECRET),
        retry=FAST_RETRY,
    )
    async with client:
        with pytest.raises(SourceError) as info:
            await client.get_json("portal/activity")
    assert info.value.kind is ErrorKind.UNREACHABLE
    assert "connection refused" in str(info.value)


async def test_unknown_host_says_so() -> None:
    rec = Recorder(httpx.ConnectError("[Errno -2] Name or service not known"))
    async with make_client(rec) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert "host name not found" in str(info.value)


async def test_secrets_never_appear_in_reprs_or_errors() -> None:
    rec = Recorder(httpx.Response(401, json={"message": "bad"}))
    bearer = TokenAuth(SECRET, header="X-Api-Key", scheme="")
    async with make_client(rec, auth=bearer) as client:
        with pytest.raises(SourceError) as info:
            await client.get_json("agents")
    assert rec.requests[0].headers["x-api-key"] == SECRET
    for text in (
        repr(client),
        repr(bearer),
        repr(BasicAuth("u", SECRET)),
        str(info.value),
        repr(info.value),
        str(client.counters.as_dict()),
    ):
        assert SECRET not in text


def test_credentials_in_the_base_url_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the base URL"):
        SourceClient("ccai", f"https://acme:{SECRET}@h.test/api", limiter=RateLimiter(1))


async def test_retries_and_the_requests_after_them_all_wait_on_the_bucket() -> None:
    rec = Recorder(httpx.Response(500), httpx.Response(200, json=[]))
    async with make_client(rec, rate=10.0) as client:
        await client.get_json("a")
        await client.get_json("b")
    gaps = [b - a for a, b in zip(rec.times, rec.times[1:], strict=False)]
    assert len(rec.times) == 3
    assert min(gaps) >= 0.095


async def test_the_error_being_retried_is_visible_until_the_request_ends() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(client.counters.retrying)
        return httpx.Response(502) if len(seen) < 3 else httpx.Response(200, json=[])

    client = make_client(handler)
    async with client:
        await client.get_json("agents")
    assert seen[0] is None
    assert seen[1] is not None
    assert "HTTP 502" in seen[1]
    assert client.counters.retrying is None
