"""JSON answers, bent by the data faults in force (hostile, wrongtype, badjson)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ccmon.sim.faults import FaultKind
from ccmon.sim.serve.corrupt import hostile, wrong_types
from ccmon.sim.serve.guard import FAULT_STATE_KEY
from ccmon.sim.serve.runtime import VendorRuntime


def runtime_of(request: Request) -> VendorRuntime:
    runtime: VendorRuntime = request.app.state.runtime
    return runtime


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def respond(
    request: Request, payload: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    faults = runtime_of(request).active_faults()
    applied = []
    if status == 200 and FaultKind.HOSTILE in faults:
        payload = hostile(payload)
        applied.append(FaultKind.HOSTILE)
    if status == 200 and FaultKind.WRONGTYPE in faults:
        payload = wrong_types(payload)
        applied.append(FaultKind.WRONGTYPE)
    body = encode(payload)
    if status == 200 and FaultKind.BADJSON in faults:
        body = body[: len(body) // 2]
        applied.append(FaultKind.BADJSON)
    if applied:
        request.scope.setdefault("state", {})[FAULT_STATE_KEY] = ",".join(applied)
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def error(request: Request, status: int, message: str) -> Response:
    return respond(request, {"message": message}, status=status)


async def json_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's 404/405 as JSON ``{"message": ...}``, like the API's other errors."""
    assert isinstance(exc, HTTPException)
    return error(request, exc.status_code, exc.detail)


def vendor_app(routes: Sequence[BaseRoute], runtime: VendorRuntime) -> Starlette:
    app = Starlette(routes=routes, exception_handlers={HTTPException: json_http_error})
    app.state.runtime = runtime
    return app
