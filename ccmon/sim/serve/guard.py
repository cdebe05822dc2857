"""ASGI middleware in front of each vendor app: rate limit, faults, auth, request log.

Order on arrival: the rate limit (every request counts, whatever happens next), then
a ``slow`` fault's delay, then faults that replace the answer, then credentials.
Faults that corrupt the data are applied by :func:`ccmon.sim.serve.responses.respond`.
"""

from __future__ import annotations

import time
from typing import Any

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


class VendorGuard:
    def __init__(self, app: ASGIApp, runtime: VendorRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        runtime = self.runtime
        arrived = time.monotonic()
        sim_time = runtime.clock.now()
        seen: dict[str, Any] = {"status": 0, "bytes": 0}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        response: Response | None = None
        fault: str | None = None
        wait = runtime.bucket.take(arrived) if runtime.bucket is not None else None
        if wait is not None:
            response = too_many_requests(wait, runtime)
        else:
            faults = runtime.active_faults()
            slow = faults.get(FaultKind.SLOW)
            if slow is not None:
                fault = slow.kind
                await runtime.hold(slow.delay_s)
            response, replaced_by = _fault_response(faults, runtime)
            fault = replaced_by or fault
            if response is None and not runtime.authorized(Headers(scope=scope)):
                response = JSONResponse(
                    {"message": "Unauthorized"},
                    status_code=401,
                    headers={"WWW-Authenticate": runtime.challenge},
                )
        state = scope.setdefault("state", {})
        try:
            if response is not None:
                await response(scope, receive, logged_send)
            else:
                await self.app(scope, receive, logged_send)
        finally:
            runtime.log.append(
                RequestRecord(
                    monotonic_s=arrived,
                    sim_time=sim_time,
                    vendor=runtime.vendor,
                    method=scope["method"],
                    path=scope["path"],
                    query=scope.get("query_string", b"").decode("latin-1"),
                    status=seen["status"],
                    response_bytes=seen["bytes"],
                    rate_limited=wait is not None,
                    fault=state.get(FAULT_STATE_KEY, fault),
                )
            )
