"""ASGI middleware in front of each vendor app: rate limit, faults, auth, request log.

Order on arrival: the rate limit (every request counts, whatever happens next), then
a ``slow`` fault's delay, then faults that replace the answer, then credentials.
Faults that corrupt the data are applied by :func:`ccmon.sim.serve.responses.respond`.
"""

from __future__ import annotations

import time

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ccmon.sim.faults import Fault, FaultKind
from ccmon.sim.serve.ratelimit import retry_after_header
from ccmon.sim.serve.request_log import RequestRecord
from ccmon.sim.serve.runtime import VendorRuntime

FAULT_STATE_KEY = "sim_fault"

PROXY_502_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def too_many_requests(wait_s: float | None, runtime: VendorRuntime) -> Response:
    headers = {} if wait_s is None else retry_after_header(wait_s, runtime.retry_after, time.time())
    return JSONResponse({"message": "Too many requests"}, status_code=429, headers=headers)


def _fault_response(
    faults: dict[FaultKind, Fault], runtime: VendorRuntime
) -> tuple[Response | None, str | None]:
    storm = faults.get(FaultKind.RATELIMIT)
    if storm is not None:
        return too_many_requests(1.0 if storm.retry_after else None, runtime), storm.kind
    denied = faults.get(FaultKind.AUTH)
    if denied is not None:
        message = "Forbidden" if denied.status == 403 else "Unauthorized"
        return JSONResponse({"message": message}, status_code=denied.status), denied.kind
    broken = faults.get(FaultKind.ERROR5XX)
    if broken is not None and runtime.fault_rng.random() < broken.probability:
        status = runtime.fault_rng.choice(broken.statuses)
        body = {"message": _REASONS.get(status, "Server Error")}
        return JSONResponse(body, status_code=status), broken.kind
    if FaultKind.HTML in faults:
        return HTMLResponse(PROXY_502_PAGE, status_code=502), FaultKind.HTML
    return None, None


class _Exchange:
    """One request's trip through the guard, logged once, before its last byte is sent."""

    def __init__(self, runtime: VendorRuntime, scope: Scope, send: Send) -> None:
        self.runtime = runtime
        self.scope = scope
        self._send = send
        self.arrived = time.monotonic()
        self.sim_time = runtime.clock.now()
        self.status = 0
        self.bytes = 0
        self.rate_limited = False
        self.fault: str | None = None
        self._logged = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.bytes += len(message.get("body", b""))
            if not message.get("more_body", False):
                self.log()  # so that a client that has its answer finds it in the log
        await self._send(message)

    def log(self) -> None:
        if self._logged:
            return
        self._logged = True
        scope = self.scope
        self.runtime.log.append(
            RequestRecord(
                monotonic_s=self.arrived,
                sim_time=self.sim_time,
                vendor=self.runtime.vendor,
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                status=self.status,
                response_bytes=self.bytes,
                rate_limited=self.rate_limited,
                fault=scope.get("state", {}).get(FAULT_STATE_KEY, self.fault),
            )
        )


class VendorGuard:
    def __init__(self, app: ASGIApp, runtime: VendorRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(self.runtime, scope, send)
        response = await self._screen(exchange)
        scope.setdefault("state", {})
        try:
            await (response or self.app)(scope, receive, exchange.send)
        finally:
            exchange.log()

    async def _screen(self, exchange: _Exchange) -> Response | None:
        """The answer the guard gives instead of the app's, if any."""
        runtime = self.runtime
        wait = runtime.bucket.take(exchange.arrived) if runtime.bucket is not None else None
        if wait is not None:
            exchange.rate_limited = True
            return too_many_requests(wait, runtime)
        faults = runtime.active_faults()
        slow = faults.get(FaultKind.SLOW)
        if slow is not None:
            exchange.fault = slow.kind
            await runtime.hold(slow.delay_s)
        response, replaced_by = _fault_response(faults, runtime)
        if response is not None:
            exchange.fault = replaced_by
            return response
        if not runtime.authorized(Headers(scope=exchange.scope)):
            return JSONResponse(
                {"message": "Unauthorized"},
                status_code=401,
                headers={"WWW-Authenticate": runtime.challenge},
            )
        return None
