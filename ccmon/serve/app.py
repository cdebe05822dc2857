"""The Starlette app of ``ccmon serve``: one floor, shared by every client."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ccmon.engine.floor import Floor
from ccmon.engine.health import Health
from ccmon.serve.board import BoardFeed, board_document
from ccmon.serve.events import Client, EventHub, frame
from ccmon.serve.prometheus import (
    CONTENT_TYPE,
    FloorCollector,
    ServeFigures,
    exposition,
    registry,
)
from ccmon.serve.security import Guard
from ccmon.serve.theme import theme_css
from ccmon.snapshot.collect import floor_snapshot
from ccmon.snapshot.privacy import mask_pii
from ccmon.snapshot.render import render_json
from ccmon.ui.options import UiOptions

STATIC = Path(__file__).resolve().parent / "static"
HEARTBEAT_S = 15.0
"""A comment line this often keeps proxies from closing a quiet stream, and tells the page
the server is there."""
RETRY_MS = 2_000
"""How long a browser waits before reconnecting a stream that broke."""
KNOWN_PATHS = frozenset(
    {"/", "/api/snapshot", "/api/events", "/api/board", "/api/board/events", "/healthz"}
    | {"/metrics", "/static/theme.css", "/favicon.ico"}
)
NO_STORE = {"cache-control": "no-store"}
STREAM_HEADERS = {"cache-control": "no-store", "x-accel-buffering": "no"}


class Served:
    """What the endpoints share: the floor and what is built from it once for everyone."""

    def __init__(
        self,
        floor: Floor,
        options: UiOptions,
        *,
        mask_pii: bool,
        sources: Sequence[str],
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        self.floor = floor
        self.options = options
        self.mask_pii = mask_pii
        self.sources = sources
        self.heartbeat_s = heartbeat_s
        self.events = EventHub(floor, mask_pii=mask_pii)
        self.board = BoardFeed(floor, options)
        self.requests: Counter[tuple[str, int]] = Counter()
        self.metrics = registry(FloorCollector(floor, options, self.figures))

    def figures(self) -> ServeFigures:
        return ServeFigures(
            clients=len(self.events.clients) + self.board.followers,
            dropped=self.events.dropped_total,
            requests=dict(self.requests),
        )

    def count(self, path: str, status: int) -> None:
        self.requests[(path if path in KNOWN_PATHS else "other", status)] += 1

    def end_streams(self) -> None:
        """Finish every open stream (the server stops): browsers see a clean end and
        reconnect, instead of a connection cut at the end of the grace period."""
        self.events.stop()
        self.board.close()

    @contextlib.asynccontextmanager
    async def running(self, _: Starlette) -> AsyncIterator[None]:
        self.floor.start()
        self.events.start()
        self.board.start()
        try:
            yield
        finally:
            self.events.stop()
            await self.board.stop()
            await self.floor.stop()

    # -- endpoints ------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=NO_STORE)

    async def snapshot(self, request: Request) -> Response:
        snapshot = floor_snapshot(self.floor, self.sources)
        if self.mask_pii:
            snapshot = mask_pii(snapshot)
        body = render_json(snapshot, self.options.policy)
        return Response(body + "\n", media_type="application/json", headers=NO_STORE)

    async def board_now(self, request: Request) -> Response:
        return JSONResponse(board_document(self.floor, self.options), headers=NO_STORE)

    async def health(self, request: Request) -> Response:
        sources = self.floor.health()
        reasons = [
            f"{h.source}: {h.health.value}" + (f" ({h.last_error})" if h.last_error else "")
            for h in sources
            if h.health is not Health.OK
        ]
        document = {
            "status": "ok" if not reasons else "failing",
            "reasons": reasons,
            "sources": {
                h.source: {"health": h.health.value, "age_s": h.age_s, "error": h.last_error}
                for h in sources
            },
        }
        return JSONResponse(document, status_code=503 if reasons else 200, headers=NO_STORE)

    async def prometheus(self, request: Request) -> Response:
        return Response(exposition(self.metrics), media_type=CONTENT_TYPE, headers=NO_STORE)

    async def no_icon(self, request: Request) -> Response:
        return Response(status_code=204)  # a browser asks; a 404 would be a console error

    async def theme(self, request: Request) -> Response:
        name = request.query_params.get("name")
        css = theme_css(name)
        if css is None:
            return Response(f"no theme {name!r}\n", status_code=404, media_type="text/plain")
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=60"})

    async def event_stream(self, request: Request) -> Response:
        last = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
        client, first = self.events.attach(last)
        return StreamingResponse(
            self._follow_events(client, first),
            media_type="text/event-stream",
            headers=STREAM_HEADERS,
        )

    async def _follow_events(self, client: Client, first: list[str]) -> AsyncIterator[str]:
        try:
            yield f"retry: {RETRY_MS}\n\n"
            for item in first:
                yield item
            while True:
                try:
                    async with asyncio.timeout(self.heartbeat_s):
                        next_item = await client.queue.get()
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if next_item is None:  # dropped (too far behind) or the server stops
                    return
                yield next_item
        finally:
            self.events.detach(client)

    async def board_stream(self, request: Request) -> Response:
        return StreamingResponse(
            self._follow_board(), media_type="text/event-stream", headers=STREAM_HEADERS
        )

    async def _follow_board(self) -> AsyncIterator[str]:
        yield f"retry: {RETRY_MS}\n\n"
        # Closed at once when the browser goes (not when collected): it counts followers.
        async with contextlib.aclosing(self.board.follow(self.heartbeat_s)) as updates:
            async for update in updates:
                if update is None:
                    yield ": keep-alive\n\n"
                else:
                    version, data = update
                    yield frame(str(version), "board", data)


class ServeApp(Guard):
    """The ASGI app, with what its server needs to stop it cleanly."""

    served: Served


def create_app(
    floor: Floor,
    options: UiOptions,
    *,
    sources: Sequence[str],
    token: str | None = None,
    mask_pii: bool = False,
) -> ServeApp:
    """The ASGI app; ``token`` (if set) is asked of every request but the page's assets."""
    served = Served(floor, options, mask_pii=mask_pii, sources=sources)
    app = Starlette(
        routes=[
            Route("/", served.page),
            Route("/api/snapshot", served.snapshot),
            Route("/api/events", served.event_stream),
            Route("/api/board", served.board_now),
            Route("/api/board/events", served.board_stream),
            Route("/healthz", served.health),
            Route("/metrics", served.prometheus),
            Route("/static/theme.css", served.theme),
            Route("/favicon.ico", served.no_icon),
            Mount("/static", StaticFiles(directory=STATIC)),
        ],
        lifespan=served.running,
    )
    guarded = ServeApp(app, token, served.count)
    guarded.served = served
    return guarded


class Server(uvicorn.Server):
    """uvicorn, ending the event streams first when it stops (they never end by
    themselves: without this every stop waits out the grace period, then cuts them)."""

    def __init__(self, config: uvicorn.Config, app: ServeApp) -> None:
        super().__init__(config)
        self.served = app.served

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.served.end_streams()
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn raises SIGTERM/SIGINT again once it has stopped (exit -15); for ccmon a
        # stop asked for is a normal end, exit 0 like `watch`.
        with super().capture_signals():
            yield
            self._captured_signals.clear()
