"""ALO.ai Platform API: ``GET /periods`` and ``GET /periods/{period_id}/actions``."""

from __future__ import annotations

import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ccmon.sim.render import alo
from ccmon.sim.serve.responses import error, respond, vendor_app
from ccmon.sim.serve.runtime import VendorRuntime
from ccmon.sim.timefmt import parse_iso

_INTEGER = re.compile(r"\d{1,18}")
_BAD_PERIOD_ID = "Invalid period_id. It must be a valid integer for your team."


def _form_fields(request: Request) -> list[str] | None:
    """``form_fields`` as a URL-encoded JSON array of strings (or repeated ``form_fields[]``).

    Raises ValueError when it is anything else.
    """
    repeated = request.query_params.getlist("form_fields[]")
    if repeated:
        return repeated
    raw = request.query_params.get("form_fields")
    if raw is None:
        return None
    fields = json.loads(raw)
    if not isinstance(fields, list) or not all(isinstance(name, str) for name in fields):
        raise ValueError(raw)
    return fields


class AloApi:
    def __init__(self, runtime: VendorRuntime) -> None:
        self.live = runtime.live

    async def periods(self, request: Request) -> Response:
        bounds = []
        for key in ("start_date", "end_date"):
            raw = request.query_params.get(key)
            try:
                bounds.append(parse_iso(raw) if raw else None)
            except ValueError:
                return error(request, 400, f"Invalid {key}. It must be an ISO 8601 date.")
        low, high = bounds
        with self.live.current() as world:
            payload = [
                alo.period(period)
                for period in world.alo.periods
                if (low is None or period.end > low) and (high is None or period.start < high)
            ]
        return respond(request, {"periods": payload})

    async def actions(self, request: Request) -> Response:
        raw_id = request.path_params["period_id"]
        if not _INTEGER.fullmatch(raw_id):
            return error(request, 400, _BAD_PERIOD_ID)
        try:
            fields = _form_fields(request)
        except ValueError:
            return error(request, 400, "Invalid form_fields. It must be an array of strings.")
        with self.live.current() as world:
            period = next((p for p in world.alo.periods if p.id == int(raw_id)), None)
            payload = None if period is None else [alo.action(a, fields) for a in period.actions]
        if payload is None:
            return error(request, 404, "Period not found")
        return respond(request, {"actions": payload})


def alo_app(runtime: VendorRuntime) -> Starlette:
    api = AloApi(runtime)
    routes = [
        Route("/periods", api.periods),
        Route("/periods/{period_id}/actions", api.actions),
    ]
    return vendor_app(routes, runtime)
