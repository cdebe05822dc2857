"""``ccmon doctor``: check each configured source once and say what to fix.

Per source, in order, each step only if the one before worked: the host name resolves (DNS),
a TCP connection (and the TLS handshake, for https) opens, and one cheap request goes through
the source's own rate-limited :class:`~ccmon.http.SourceClient`, which shows whether the
credentials are accepted and which rate-limit headers the vendor sends. Every step has its
own time limit and the whole check has :data:`DEADLINE_S`, whatever the network does.

When the environment routes the source through a proxy (``HTTPS_PROXY``/``HTTP_PROXY``/
``ALL_PROXY``, not bypassed by ``NO_PROXY``, as httpx reads them), DNS and TCP/TLS are
checked for the proxy, which is where the connection goes; a jump host often cannot resolve
the vendor's name itself. The proxy's credentials are never shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from ccmon.config.env_names import env_name
from ccmon.config.settings import EvoSettings, SourceSettings
from ccmon.http import ErrorKind, SourceError
from ccmon.http.client import JsonResponse
from ccmon.sources.base import Source

T = TypeVar("T")

DEADLINE_S = 25.0
"""A source still unanswered after this long is reported as such; doctor ends within 30 s."""
STEP_TIMEOUT_S = 5.0
"""DNS and the TCP/TLS handshake each get this long."""

OK, FAIL, SKIPPED = "ok", "FAIL", "-"


@dataclass(slots=True)
class Check:
    source: str
    step: str
    result: str
    detail: str
    fix: str | None = None
    """What to do about a failure, in one line."""


@dataclass(slots=True)
class SourceCheck:
    name: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.result != FAIL for check in self.checks)

    def add(self, step: str, result: str, detail: str, fix: str | None = None) -> bool:
        self.checks.append(Check(self.name, step, result, detail, fix))
        return result == OK


async def _in_daemon_thread(work: Callable[[], T], timeout_s: float) -> T:
    """``work()`` in a thread that cannot keep the process alive if it never returns
    (``getaddrinfo`` has no timeout of its own, and the default executor is joined at exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: tuple[T] | Exception) -> None:
        if future.done():  # timed out already
            return
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome[0])

    def run() -> None:
        outcome: tuple[T] | Exception
        try:
            outcome = (work(),)
        except Exception as exc:
            outcome = exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=run, name="ccmon-doctor-dns", daemon=True).start()
    return await asyncio.wait_for(future, timeout_s)


@dataclass(frozen=True, slots=True)
class Hop:
    """Where the first connection goes: the source's host, or the proxy in front of it."""

    url: httpx.URL
    setting: str
    """What the user changes when this host is wrong: a config key or an env var."""
    proxy: bool = False

    @property
    def port(self) -> int:
        return self.url.port or (443 if self.url.scheme == "https" else 80)


def _bypassed(host: str, no_proxy: str) -> bool:
    """``NO_PROXY`` as httpx reads it: ``*``, a host, ``.domain`` (subdomains), ``domain``."""
    host = host.lower()
    for entry in (e.strip().lower().split("://", 1)[-1] for e in no_proxy.split(",")):
        suffix = entry if entry.startswith(".") else f".{entry}"
        if entry and (entry in ("*", host) or host.endswith(suffix)):
            return True
    return False


def first_hop(source: str, url: httpx.URL) -> Hop:
    proxies = urllib.request.getproxies_environment()
    if url.host and not _bypassed(url.host, proxies.get("no", "")):
        for scheme in (url.scheme, "all"):
            if value := proxies.get(scheme):
                proxy = httpx.URL(value if "://" in value else f"http://{value}")
                return Hop(proxy, f"{scheme.upper()}_PROXY", proxy=True)
    return Hop(url, f"{source}.base_url ({env_name(source, 'base_url')})")


async def _dns(check: SourceCheck, hop: Hop) -> str | None:
    host, port = hop.url.host, hop.port
    fix = f"check {hop.setting} and the DNS/VPN"
    try:
        infos = await _in_daemon_thread(
            lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), STEP_TIMEOUT_S
        )
    except TimeoutError:
        check.add("dns", FAIL, f"no answer within {STEP_TIMEOUT_S:g} s", fix)
        return None
    except (OSError, UnicodeError):
        check.add("dns", FAIL, f"{host} not found", f"{host} does not resolve: {fix}")
        return None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    more = f" (+{len(addresses) - 1} more)" if len(addresses) > 1 else ""
    named = "" if host == addresses[0] else f"{host} -> "
    check.add("dns", OK, f"{named}{addresses[0]}{more}")
    return addresses[0]


async def _connect(check: SourceCheck, hop: Hop, address: str) -> bool:
    url, port = hop.url, hop.port
    tls = httpx.create_ssl_context() if url.scheme == "https" else None
    where = f"{address}:{port}"
    started = time.monotonic()
    try:
        async with asyncio.timeout(STEP_TIMEOUT_S):
            _, writer = await asyncio.open_connection(
                address, port, ssl=tls, server_hostname=url.host if tls else None
            )
    except TimeoutError:
        fix = f"nothing answers on {url.host}:{port}: a firewall or VPN, or the wrong port?"
        return check.add("tcp/tls", FAIL, f"no answer from {where}", fix)
    except ssl.SSLCertVerificationError as exc:
        fix = f"the TLS certificate of {url.host} is not trusted ({exc.verify_message})"
        return check.add("tcp/tls", FAIL, "certificate not trusted", fix)
    except (ssl.SSLError, ConnectionResetError) as exc:
        why = getattr(exc, "reason", None) or type(exc).__name__
        fix = f"TLS with {url.host}:{port} failed ({why}): is it an https port?"
        return check.add("tcp/tls", FAIL, "TLS handshake failed", fix)
    except OSError as exc:
        why = "connection refused" if isinstance(exc, ConnectionRefusedError) else exc.strerror
        fix = f"{url.host}:{port} is unreachable ({why}): check the port in {hop.setting}"
        return check.add("tcp/tls", FAIL, f"{where} {why}", fix)
    elapsed = (time.monotonic() - started) * 1000
    secured = writer.get_extra_info("ssl_object")
    how = secured.version() if secured is not None else "plain HTTP"
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(1.0):
            await writer.wait_closed()
    return check.add("tcp/tls", OK, f"{where} in {elapsed:.0f} ms, {how}")


RATE_HEADER_WORDS = ("ratelimit", "rate-limit", "retry-after")


def _rate_headers(headers: httpx.Headers) -> str:
    found = [
        f"{name}: {value}"
        for name, value in headers.items()
        if any(word in name.lower() for word in RATE_HEADER_WORDS)
    ]
    return "; ".join(found)


RETRY_429_WITHIN_S = 10.0
"""A 429 whose pause ends within this long is given one more try before it counts."""


async def _get(source: Source, path: str, params: dict[str, Any]) -> tuple[JsonResponse, bool]:
    """The probe's answer, and whether it took a second try after a 429.

    One 429 on a healthy account says only that a request went out just before doctor's
    (another ccmon on another machine, another tool): the account is at its limit only if
    the request is refused again after the pause the server asked for. Requests of ccmon
    processes on this machine never cause it: they share the budget (``SharedBudget``)."""
    try:
        return await source.client.get_json(path, params), False
    except SourceError as exc:
        limiter = source.client.limiter
        if exc.kind is not ErrorKind.RATE_LIMITED or limiter.paused_for > RETRY_429_WITHIN_S:
            raise
    return await source.client.get_json(path, params), True


async def _request(check: SourceCheck, source: Source, settings: SourceSettings) -> None:
    path, params = source.probe()
    name = source.name
    try:
        response, retried = await _get(source, path, params)
    except SourceError as exc:
        if exc.kind is ErrorKind.AUTH:
            verdict = "credentials rejected" if exc.status == 401 else "access denied"
            check.add("auth", FAIL, verdict, exc.message.removeprefix(f"{name}: "))
        elif exc.kind is ErrorKind.RATE_LIMITED:
            check.add("auth", SKIPPED, "not known: rate limited")
            after = f", Retry-After {exc.retry_after:g} s" if exc.retry_after is not None else ""
            fix = (
                f"the account is at its rate limit right now (HTTP 429 on {exc.endpoint}); "
                f"if another tool shares it, lower {name}.rate"
            )
            check.add("rate limit", FAIL, f"HTTP 429{after}", fix)
        else:
            refused = exc.status is not None and exc.status < 500
            check.add("auth", OK if refused else SKIPPED, "not refused" if refused else "not known")
            check.add("request", FAIL, str(exc.kind), exc.message.removeprefix(f"{name}: "))
        return
    latency = source.client.counters.last_latency_s or 0.0
    data = response.data
    lists = [data] if isinstance(data, list) else [v for v in data.values() if isinstance(v, list)]
    count = len(lists[0]) if lists else None
    records = "" if count is None else f", {count} record{'' if count == 1 else 's'}"
    check.add("auth", OK, "accepted")
    check.add("request", OK, f"HTTP {response.status} in {latency * 1000:.0f} ms{records}")
    headers = _rate_headers(response.headers)
    detail = headers or f"no headers; ccmon paces {settings.rate:g}/s"
    if retried:
        detail = f"one HTTP 429 (a request had just gone out), then answered; {detail}"
    check.add("rate limit", OK, detail)


def _intervals(check: SourceCheck, source: Source, settings: SourceSettings) -> None:
    """Poll intervals for feeds the source does not have would be ignored without a word."""
    feeds = [feed.name for feed in source.feeds()]
    unknown = sorted(set(settings.intervals) - set(feeds))
    if unknown:
        fix = (
            f"{source.name}.intervals names {', '.join(unknown)}, which {source.name} does not "
            f"poll; its feeds are {', '.join(feeds)}"
        )
        check.add("intervals", FAIL, f"unknown feed {unknown[0]}", fix)


async def _accounts(check: SourceCheck, source: Source, account_ids: Sequence[str]) -> None:
    """Evo's ``account_ids``: the login must reach every one (a 403 names the account)."""
    path, params = source.probe()
    denied: list[str] = []
    for account in account_ids:
        try:
            await source.client.get_json(path, {**params, "AccountId": account})
        except SourceError as exc:
            if exc.kind is not ErrorKind.AUTH:
                check.add("accounts", FAIL, str(exc.kind), exc.message.removeprefix("evo: "))
                return
            denied.append(account)
    if denied:
        fix = "check evo.account_ids: the login must reach each account"
        check.add("accounts", FAIL, f"access denied to {', '.join(denied)}", fix)
    else:
        check.add("accounts", OK, f"{len(account_ids)} reachable")


async def check_source(source: Source, settings: SourceSettings) -> SourceCheck:
    check = SourceCheck(source.name)
    _intervals(check, source, settings)
    hop = first_hop(source.name, httpx.URL(settings.base_url or ""))
    if hop.proxy:
        check.add("proxy", OK, f"via {hop.url.host}:{hop.port} ({hop.setting})")
    try:
        async with asyncio.timeout(DEADLINE_S):
            address = await _dns(check, hop)
            if address is not None and await _connect(check, hop, address):
                await _request(check, source, settings)
                accepted = any(c.step == "auth" and c.result == OK for c in check.checks)
                if accepted and isinstance(settings, EvoSettings) and settings.account_ids:
                    await _accounts(check, source, settings.account_ids)
    except TimeoutError:
        check.add("deadline", FAIL, f"gave up after {DEADLINE_S:g} s", "the source is too slow")
    return check


async def check_sources(
    sources: Sequence[Source], settings: Callable[[str], SourceSettings]
) -> list[SourceCheck]:
    """Every source checked concurrently, each within :data:`DEADLINE_S`."""
    try:
        return list(await asyncio.gather(*(check_source(s, settings(s.name)) for s in sources)))
    finally:
        await asyncio.gather(*(source.aclose() for source in sources))
