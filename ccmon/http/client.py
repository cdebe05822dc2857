"""``SourceClient``: one ``httpx.AsyncClient`` per source host, behind one shared bucket.

Every attempt of every request waits on the source's :class:`RateLimiter`. Transient faults
(5xx, timeouts, connection errors) are retried with exponential backoff and jitter by
``stamina``, bounded in attempts and total time; a 429 pauses the shared bucket for its
Retry-After and is retried once the bucket lets it; 401/403 and other 4xx are not retried.
Bodies that are not JSON become a one-line :class:`SourceError` naming endpoint and status.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import stamina
import stamina.instrumentation

from ccmon.http.counters import SourceCounters
from ccmon.http.errors import TRANSIENT, ErrorKind, SourceError
from ccmon.http.ratelimit import RateLimiter
from ccmon.text import clean

log = logging.getLogger(__name__)

# stamina's default hook logs every retry as a WARNING, which would reach stderr under
# `snapshot` and the screen under the TUI. ccmon counts and logs retries itself.
stamina.instrumentation.set_on_retry_hooks([])

USER_AGENT = "ccmon (terminal contact-center monitor)"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    """Attempts per request, the first included."""
    total_timeout_s: float = 30.0
    """No new attempt starts after this long."""
    wait_initial_s: float = 0.5
    wait_max_s: float = 10.0
    wait_jitter_s: float = 1.0
    rate_limited_s: float = 60.0
    """A request answered 429 is tried again, after the shared pause, for this long; 429s do
    not use up ``attempts`` (another tool on the same account can cause a run of them)."""


@dataclass(frozen=True, slots=True)
class JsonResponse:
    data: Any
    headers: httpx.Headers
    url: httpx.URL
    status: int

    @property
    def next_link(self) -> str | None:
        """The ``Link: <…>; rel="next"`` target, if the server sent one."""
        link = self.headers.get("link")
        if not link:
            return None
        for part in httpx.Response(200, headers={"link": link}).links.values():
            if part.get("rel") == "next" and part.get("url"):
                return part["url"]
        return None


class SourceClient:
    """Rate-limited, retrying JSON GETs against one vendor API root."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        limiter: RateLimiter,
        auth: httpx.Auth | None = None,
        headers: dict[str, str] | None = None,
        timeout_s: float = 10.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        auth_hint: str = "check the credentials",
    ) -> None:
        self.name = name
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.counters = SourceCounters()
        self.auth_hint = auth_hint
        self.timeout_s = timeout_s
        root = httpx.URL(base_url)
        if root.userinfo:
            raise ValueError(f"{name}: put credentials in the config, not in the base URL")
        self.host = root.host
        self._http = httpx.AsyncClient(
            base_url=root,
            auth=auth,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"SourceClient({self.name!r}, host={self.host!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SourceClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def same_origin(self, url: str) -> bool:
        """True if ``url`` points at this source's host; pagination never follows others."""
        try:
            target = self._http.base_url.join(url)
        except httpx.InvalidURL:
            return False
        base = self._http.base_url
        return (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)

    async def get_json(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        priority: float = 0.0,
    ) -> JsonResponse:
        """GET ``path`` (relative to the base URL, or a same-origin absolute URL) as JSON."""
        endpoint = _endpoint_label(path)
        patient_until = time.monotonic() + self.retry.rate_limited_s
        try:
            while True:
                try:
                    result = await self._with_retries(path, params, endpoint, priority)
                    break
                except SourceError as exc:
                    if exc.kind is not ErrorKind.RATE_LIMITED or time.monotonic() > patient_until:
                        raise
                    self.counters.retries += 1  # the limiter's pause paces the next try
                    self._note_retrying(exc)
        except SourceError as exc:
            self._note_retrying(None)
            self.counters.errors += 1
            self.counters.last_error = exc.message
            self.counters.last_error_kind = exc.kind.value
            self.counters.last_error_at = time.monotonic()
            log.info("%s", exc.message)
            raise
        self.counters.last_ok_at = time.monotonic()
        self._note_retrying(None)
        return result

    def _note_retrying(self, exc: SourceError | None) -> None:
        """The error of the request being retried right now, for the status bar and for a
        snapshot whose deadline comes first; None once it succeeded or gave up."""
        self.counters.retrying = None if exc is None else exc.message
        self.counters.retrying_kind = None if exc is None else exc.kind.value

    async def _with_retries(
        self, path: str, params: dict[str, Any] | None, endpoint: str, priority: float
    ) -> JsonResponse:
        """One request, with bounded retries (backoff and jitter) for transient faults."""
        async for attempt in stamina.retry_context(
            on=self._retry_hook,
            attempts=self.retry.attempts,
            timeout=self.retry.total_timeout_s,
            wait_initial=self.retry.wait_initial_s,
            wait_max=self.retry.wait_max_s,
            wait_jitter=self.retry.wait_jitter_s,
        ):
            with attempt:
                if attempt.num > 1:
                    self.counters.retries += 1
                return await self._attempt(path, params, endpoint, priority)
        raise AssertionError("unreachable: stamina returns the result or raises")

    def _retry_hook(self, exc: Exception) -> bool:
        # A 429 is retried by get_json once the shared bucket's pause is over, not here.
        if isinstance(exc, SourceError) and exc.kind in TRANSIENT:
            self._note_retrying(exc)  # the status bar says so before they run out
            return True
        return False

    async def _attempt(
        self, path: str, params: dict[str, Any] | None, endpoint: str, priority: float
    ) -> JsonResponse:
        async with self.limiter.slot(priority) as on_wire:
            started = time.monotonic()
            response = await self._send(path, params, endpoint, on_wire)
        body = response.content
        self.counters.record_status(response.status_code, len(body), time.monotonic() - started)
        self._raise_for_status(response, endpoint)
        self.limiter.note_success()
        return JsonResponse(
            _decode_json(self.name, endpoint, response),
            response.headers,
            response.url,
            response.status_code,
        )

    async def _send(
        self,
        path: str,
        params: dict[str, Any] | None,
        endpoint: str,
        on_wire: Callable[[], None],
    ) -> httpx.Response:
        """One GET; a transport failure becomes a one-line :class:`SourceError`."""
        try:
            return await self._http.get(
                path, params=params, extensions={"trace": _wire_tracer(on_wire)}
            )
        except httpx.TimeoutException as exc:  # before TransportError: it is one
            self.counters.requests += 1
            raise SourceError(
                ErrorKind.TIMEOUT,
                f"{self.name}: no answer from {self.host} on {endpoint} within "
                f"{self.timeout_s:g} s ({type(exc).__name__})",
                endpoint=endpoint,
            ) from None
        except httpx.InvalidURL as exc:  # a path or Link built from what a vendor sent
            raise SourceError(
                ErrorKind.BAD_RESPONSE,
                f"{self.name}: cannot request {endpoint} ({exc})",
                endpoint=endpoint,
            ) from None
        except httpx.LocalProtocolError:
            # h11/h2 refused to send a header; their message quotes the header's value, which
            # is the credential, so it is never shown.
            raise SourceError(
                ErrorKind.AUTH,
                f"{self.name}: the request could not be sent: a header holds a character "
                f"HTTP does not allow - {self.auth_hint}",
                endpoint=endpoint,
            ) from None
        except httpx.TransportError as exc:
            self.counters.requests += 1
            raise SourceError(
                ErrorKind.UNREACHABLE,
                f"{self.name}: cannot reach {self.host} ({_describe_transport_error(exc)})"
                " - check the base URL and the network",
                endpoint=endpoint,
            ) from None

    def _raise_for_status(self, response: httpx.Response, endpoint: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        what = f"HTTP {status} on {endpoint}"
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            pause = self.limiter.pause(retry_after)
            asked = (
                f" (Retry-After asked {retry_after:.0f} s)"
                if retry_after is not None and retry_after > pause
                else ""
            )
            raise SourceError(
                ErrorKind.RATE_LIMITED,
                f"{self.name}: rate limited ({what}); pausing all requests {pause:.0f} s{asked}",
                status=status,
                endpoint=endpoint,
                retry_after=retry_after,
            )
        if status in (401, 403):
            verdict = "credentials rejected" if status == 401 else "access denied"
            raise SourceError(
                ErrorKind.AUTH,
                f"{self.name}: {verdict} ({what}) - {self.auth_hint}",
                status=status,
                endpoint=endpoint,
            )
        if status >= 500:
            raise SourceError(
                ErrorKind.SERVER,
                f"{self.name}: server error ({what}{_body_hint(response)})",
                status=status,
                endpoint=endpoint,
            )
        kind = ErrorKind.NOT_FOUND if status == 404 else ErrorKind.REJECTED
        detail = _json_message(response)
        raise SourceError(
            kind,
            f"{self.name}: request rejected ({what}{': ' + detail if detail else ''})",
            status=status,
            endpoint=endpoint,
        )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _wire_tracer(on_wire: Callable[[], None]) -> Callable[[str, Any], Awaitable[None]]:
    """An httpcore trace hook calling ``on_wire`` as the request headers go out (HTTP/1.1
    and HTTP/2), after any connecting and TLS handshake."""

    async def trace(event: str, info: Any) -> None:
        if event.endswith(".send_request_headers.started"):
            on_wire()

    return trace


def _endpoint_label(path: str) -> str:
    """The path of a request without query string or host, for messages."""
    try:
        url = httpx.URL(path)
    except httpx.InvalidURL:
        return clean(path.split("?")[0], max_len=80) or "?"
    return "/" + url.path.lstrip("/") if not url.is_absolute_url else url.path


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe_transport_error(exc: httpx.TransportError) -> str:
    """Name the network failure in words (httpx/anyio wrap the OS error several times)."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "host name not found"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
    text = str(exc).lower()
    if "name or service not known" in text or "name resolution" in text:
        return "host name not found"
    if "connection refused" in text:
        return "connection refused"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection"
    return str(exc) or type(exc).__name__


def _looks_like_html(response: httpx.Response) -> bool:
    ctype = response.headers.get("content-type", "").lower()
    return "html" in ctype or response.content.lstrip()[:1] == b"<"


def _body_hint(response: httpx.Response) -> str:
    return ", an HTML error page" if _looks_like_html(response) else ""


def _json_message(response: httpx.Response) -> str | None:
    """The vendor's ``{"message": ...}`` text for 4xx answers, cleaned, if there is one."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(data, dict):
        return clean(data.get("message") or data.get("error"), max_len=120)
    return None


def _decode_json(name: str, endpoint: str, response: httpx.Response) -> Any:
    if _looks_like_html(response):
        raise SourceError(
            ErrorKind.BAD_RESPONSE,
            f"{name}: {endpoint} sent an HTML page instead of JSON (HTTP "
            f"{response.status_code}) - is the base URL the API root?",
            status=response.status_code,
            endpoint=endpoint,
        )
    try:
        return json.loads(response.content)
    except ValueError:
        raise SourceError(
            ErrorKind.BAD_RESPONSE,
            f"{name}: {endpoint} sent malformed JSON (HTTP {response.status_code}, "
            f"{len(response.content)} bytes)",
            status=response.status_code,
            endpoint=endpoint,
        ) from None
