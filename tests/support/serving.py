"""``ccmon serve``'s app on a real uvicorn, on a free loopback port, in a thread of the test.

The floor is the live engine over a simulator, on the simulator's clock (its contacts are in
the windows the figures count).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import httpx
import uvicorn

from ccmon.commands.registry import SOURCE_NAMES
from ccmon.engine.engine import Engine
from ccmon.serve.app import Server, create_app
from ccmon.sim.runner import SimServer
from ccmon.ui.options import UiOptions
from tests.support.sim import UNTHROTTLED, sim_now, sim_sources
from tests.support.waiting import wait_until


@dataclass
class Serving:
    url: str
    port: int
    engine: Engine
    server: uvicorn.Server


def sim_engine(sim: SimServer) -> Engine:
    return Engine(sim_sources(sim, UNTHROTTLED), now=sim_now(sim))


def sim_options(sim: SimServer) -> UiOptions:
    return UiOptions(wall=sim.clock.now)


def bound_socket(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@contextlib.contextmanager
def serving(
    sim: SimServer,
    *,
    token: str | None = None,
    port: int = 0,
    mask_pii: bool = False,
    engine: Callable[[SimServer], Engine] = sim_engine,
) -> Iterator[Serving]:
    """Serve ``sim``'s floor until the block ends; the port is free (or ``port``)."""
    floor = engine(sim)
    app = create_app(floor, sim_options(sim), sources=SOURCE_NAMES, token=token, mask_pii=mask_pii)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=1
    )
    server = Server(config, app)
    sock = bound_socket(port)
    bound = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "serve stopped while starting"
        assert time.monotonic() < deadline, "serve did not start within 20 s"
        time.sleep(0.02)
    try:
        yield Serving(f"http://127.0.0.1:{bound}", bound, floor, server)
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
        assert not thread.is_alive(), "serve did not stop within 15 s"


def serve_process(
    env: Mapping[str, str], *flags: str, ready: str = "/healthz"
) -> tuple[subprocess.Popen[str], str]:
    """``ccmon serve`` in its own process on a free loopback port with ``env`` on top of this
    one's; returns once ``ready`` answers 200 (the caller stops the process)."""
    probe = bound_socket()
    port = probe.getsockname()[1]
    probe.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "serve", "--port", str(port), *flags],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{url}{ready}", timeout=2).status_code == 200
        except httpx.TransportError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            return False

    try:
        wait_until(answers, "ccmon serve answers", within=30)
    except BaseException:
        process.kill()
        process.wait(5)
        raise
    return process, url
