"""One uvicorn server per vendor, on a port it keeps across closing and reopening.

Closing a listener really closes its socket, so a client sees "connection refused",
which is what a source going away looks like; reopening binds the same port again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

_STARTUP_TIMEOUT_S = 10.0
_SHUTDOWN_TIMEOUT_S = 10.0

# uvicorn logs through "uvicorn.*"; without a handler anywhere its errors would reach
# Python's last-resort stderr handler and scribble over a terminal UI.
logging.getLogger("uvicorn").addHandler(logging.NullHandler())


class Listener:
    def __init__(
        self, app: ASGIApp, host: str, port: int, on_close: Callable[[], None] = lambda: None
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._on_close = on_close
        self._on_open: Callable[[], None] = lambda: None
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def on_open(self, callback: Callable[[], None]) -> None:
        self._on_open = callback

    @property
    def is_open(self) -> bool:
        return self._server is not None

    def _bind(self) -> socket.socket:
        # proto must say TCP: asyncio only turns Nagle off (TCP_NODELAY) for such sockets,
        # and with Nagle on, a response written in two parts waits ~40 ms for an ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        return sock

    async def open(self) -> None:
        """Start serving; returns once the socket accepts connections."""
        if self._server is not None:
            return
        sock = self._bind()
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_config=None,
            access_log=False,
            proxy_headers=False,
            server_header=False,
            http="h11",
            ws="none",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        self._on_open()
        task = asyncio.create_task(server.serve(sockets=[sock]), name=f"listener:{self.port}")
        async with asyncio.timeout(_STARTUP_TIMEOUT_S):
            while not server.started:
                if task.done():
                    sock.close()
                    task.result()
                    raise RuntimeError(f"listener on port {self.port} stopped while starting")
                await asyncio.sleep(0.005)
        self._server, self._task = server, task

    async def close(self) -> None:
        """Stop serving and close the socket; in-flight requests get a moment to finish."""
        server, task = self._server, self._task
        if server is None or task is None:
            return
        self._server = self._task = None
        self._on_close()
        server.should_exit = True
        try:
            async with asyncio.timeout(_SHUTDOWN_TIMEOUT_S):
                await task
        except TimeoutError:
            server.force_exit = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
