"""The admin listener: request log, faults, pokes and the clock, over HTTP.

Every route wants ``Authorization: Bearer <admin token>``.

- ``GET /health``: ``{"ok": true, "sim_time": ...}``
- ``GET /requests[?vendor=ccai]``, ``DELETE /requests``: the request log
- ``GET /faults``; ``POST /faults`` with ``{"spec": "ccai:slow=12"}`` or
  ``{"vendor": "ccai", "kind": "slow", "delay_s": 12}``; ``DELETE /faults[?vendor=&kind=]``
- ``POST /faults/{vendor}/down``, ``POST /faults/{vendor}/up``
- ``GET /world``: agents and queues; ``POST /agents/{id}/status`` with ``{"status": "Break"}``
- ``POST /clock`` with ``{"advance_s": 60}`` and/or ``{"speed": 10}``
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ccmon.sim.config import BearerAuth
from ccmon.sim.fault_control import FaultControl
from ccmon.sim.faults import Fault, FaultKind, parse_fault
from ccmon.sim.live import LiveWorld
from ccmon.sim.serve.auth import bearer_ok
from ccmon.sim.serve.request_log import RequestLog
from ccmon.sim.timefmt import iso_z
from ccmon.sim.vendors import Vendor

Handler = Callable[[Request], Awaitable[Response]]


def _fault_json(fault: Fault) -> dict[str, Any]:
    return dataclasses.asdict(fault) | {"statuses": list(fault.statuses)}


class AdminApi:
    def __init__(self, token: str, live: LiveWorld, log: RequestLog, faults: FaultControl) -> None:
        self.token = token
        self.live = live
        self.log = log
        self.faults = faults

    def guarded(self, handler: Handler) -> Handler:
        async def checked(request: Request) -> Response:
            if not bearer_ok(request.headers, BearerAuth(), self.token):
                return JSONResponse({"message": "Unauthorized"}, status_code=401)
            try:
                return await handler(request)
            except (ValueError, KeyError, TypeError) as bad:
                return JSONResponse({"message": f"Bad request: {bad}"}, status_code=400)

        return checked

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "sim_time": iso_z(self.live.clock.now())})

    async def requests(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.log.clear()
            return JSONResponse({"ok": True})
        vendor = request.query_params.get("vendor")
        records = self.log.records(Vendor(vendor) if vendor else None)
        return JSONResponse([record.as_json() for record in records])

    async def list_faults(self, request: Request) -> Response:
        if request.method == "DELETE":
            vendor = request.query_params.get("vendor")
            kind = request.query_params.get("kind")
            for each in [Vendor(vendor)] if vendor else list(Vendor):
                await self.faults.remove(each, FaultKind(kind) if kind else None)
            return JSONResponse({"ok": True})
        if request.method == "POST":
            body = json.loads(await request.body() or b"{}")
            if "spec" in body:
                vendors, fault = parse_fault(str(body["spec"]))
            else:
                fields = {k: v for k, v in body.items() if k not in ("vendor", "kind")}
                if "statuses" in fields:
                    fields["statuses"] = tuple(fields["statuses"])
                vendors, fault = [Vendor(body["vendor"])], Fault(FaultKind(body["kind"]), **fields)
            for vendor in vendors:
                await self.faults.apply(vendor, fault)
        return JSONResponse(
            {
                vendor.value: [_fault_json(f) for f in self.faults.board.active(vendor).values()]
                for vendor in Vendor
            }
        )

    async def down(self, request: Request) -> Response:
        await self.faults.apply(Vendor(request.path_params["vendor"]), Fault(FaultKind.DOWN))
        return JSONResponse({"ok": True})

    async def up(self, request: Request) -> Response:
        await self.faults.remove(Vendor(request.path_params["vendor"]), FaultKind.DOWN)
        return JSONResponse({"ok": True})

    async def world(self, request: Request) -> Response:
        return JSONResponse(
            {
                "sim_time": iso_z(self.live.clock.now()),
                "agents": [dataclasses.asdict(a) for a in self.live.agents()],
                "queues": [dataclasses.asdict(q) for q in self.live.queues()],
            }
        )

    async def agent_status(self, request: Request) -> Response:
        body = json.loads(await request.body())
        self.live.set_agent_status(request.path_params["agent_id"], str(body["status"]))
        return JSONResponse({"ok": True})

    async def clock(self, request: Request) -> Response:
        body = json.loads(await request.body() or b"{}")
        if "speed" in body:
            self.live.clock.set_speed(float(body["speed"]))
        if "advance_s" in body:
            self.live.clock.advance(float(body["advance_s"]))
        return JSONResponse(
            {"sim_time": iso_z(self.live.clock.now()), "speed": self.live.clock.speed}
        )


def admin_app(api: AdminApi) -> Starlette:
    guard = api.guarded
    return Starlette(
        routes=[
            Route("/health", guard(api.health)),
            Route("/requests", guard(api.requests), methods=["GET", "DELETE"]),
            Route("/faults", guard(api.list_faults), methods=["GET", "POST", "DELETE"]),
            Route("/faults/{vendor}/down", guard(api.down), methods=["POST"]),
            Route("/faults/{vendor}/up", guard(api.up), methods=["POST"]),
            Route("/world", guard(api.world)),
            Route("/agents/{agent_id:int}/status", guard(api.agent_status), methods=["POST"]),
            Route("/clock", guard(api.clock), methods=["POST"]),
        ]
    )
