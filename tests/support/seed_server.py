"""A loopback HTTP server that answers every documented endpoint with the seeds' own examples.

The foundation's end-to-end test: ``snapshot`` must show exactly what the vendor docs show.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
TOKEN = "seed-token-123"
USER = "seedco"

CCAI = {
    "agents": "ccai_agents.json",
    "agents/current_status": "ccai_agents_current_status.json",
    "agent_activity_logs": "ccai_agent_activity_logs.json",
    "calls": "ccai_calls.json",
    "chats": "ccai_chats.json",
    "menus": "ccai_menus.json",
    "menus/current_status": "ccai_menus_current_status.json",
    "menus/sla": "ccai_menus_sla.json",
    "menus/sla_by_queue_groups": "ccai_menus_sla_by_queue_groups.json",
    "user_statuses": "ccai_user_statuses.json",
    "teams": "ccai_teams.json",
}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _basic_ok(request: Request) -> bool:
    import base64

    header = request.headers.get("authorization", "")
    expected = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
    return header == expected


def _bearer_ok(request: Request) -> bool:
    return request.headers.get("authorization") == f"Bearer {TOKEN}"


def _ccai_route(path: str, name: str) -> Route:
    async def endpoint(request: Request) -> Response:
        if not _basic_ok(request):
            return JSONResponse({"message": "Unauthorized"}, status_code=401)
        page = int(request.query_params.get("page", "1"))
        data = fixture(name)
        return JSONResponse(data if page == 1 else [])

    return Route(f"/manager/api/v1/{path}", endpoint)


async def _periods(request: Request) -> Response:
    if not _bearer_ok(request):
        return JSONResponse({"message": "Unauthorized"}, status_code=401)
    return JSONResponse(fixture("alo_periods.json"))


async def _actions(request: Request) -> Response:
    if not _bearer_ok(request):
        return JSONResponse({"message": "Unauthorized"}, status_code=401)
    return JSONResponse(fixture("alo_actions.json"))


async def _activity(request: Request) -> Response:
    if not _bearer_ok(request):
        return JSONResponse({"message": "Unauthorized"}, status_code=401)
    page = int(request.query_params.get("Page", "0"))
    data = fixture("evo_activity.json")
    if page > 0:
        data = {**data, "items": [], "hasMorePages": False}
    return JSONResponse(data)


def app() -> Starlette:
    routes = [_ccai_route(path, name) for path, name in CCAI.items()]
    routes += [
        Route("/alo/periods", _periods),
        Route("/alo/periods/{period_id}/actions", _actions),
        Route("/evo/portal/activity", _activity),
    ]
    return Starlette(routes=routes)


@dataclass(frozen=True)
class SeedServer:
    base: str

    def env(self, token: str = TOKEN) -> dict[str, str]:
        return {
            "CCMON_CCAI_BASE_URL": f"{self.base}/manager/api/v1",
            "CCMON_CCAI_USERNAME": USER,
            "CCMON_CCAI_TOKEN": token,
            "CCMON_ALO_BASE_URL": f"{self.base}/alo",
            "CCMON_ALO_TOKEN": token,
            "CCMON_EVO_BASE_URL": f"{self.base}/evo",
            "CCMON_EVO_TOKEN": token,
        }


@contextmanager
def serve_seeds() -> Iterator[SeedServer]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app(), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield SeedServer(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
