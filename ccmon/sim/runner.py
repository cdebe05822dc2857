"""``SimServer``: the world and its four listeners on a background thread.

The server runs its own event loop in its own thread, so that a Textual app or a
pytest test in the main thread is not disturbed::

    with SimServer(SimConfig(seed=7, speed=30)) as sim:
        os.environ.update(sim.env)
        sim.faults.set("evo", "html")
        sim.world.set_agent_status(101, "Break")
        sim.request_log("ccai")
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from typing import Self

from starlette.datastructures import Headers

from ccmon.sim.clock import SimClock
from ccmon.sim.config import Credentials, SimConfig
from ccmon.sim.fault_control import FaultControl
from ccmon.sim.faults import FaultBoard
from ccmon.sim.live import LiveWorld
from ccmon.sim.serve.admin_app import AdminApi, admin_app
from ccmon.sim.serve.alo_app import alo_app
from ccmon.sim.serve.auth import basic_ok, bearer_ok
from ccmon.sim.serve.ccai_app import BASE_PATH, ccai_app
from ccmon.sim.serve.evo_app import evo_app
from ccmon.sim.serve.guard import VendorGuard
from ccmon.sim.serve.listener import Listener
from ccmon.sim.serve.ratelimit import TokenBucket
from ccmon.sim.serve.request_log import RequestLog, RequestRecord
from ccmon.sim.serve.runtime import VendorRuntime
from ccmon.sim.vendors import Vendor
from ccmon.sim.world import World

_START_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 30.0


class SimServer:
    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config = config or SimConfig()
        self.credentials: Credentials = config.credentials()
        start = config.start.timestamp() if config.start else float(int(time.time()))
        world = World(config.world_config(start))
        self.clock = SimClock(start, config.speed)
        self.world = LiveWorld(world, self.clock)
        self.requests = RequestLog()
        board = FaultBoard()
        self.runtimes = {vendor: self._runtime(vendor, board) for vendor in Vendor}
        creds = self.credentials
        apps = {
            Vendor.CCAI: ccai_app(self.runtimes[Vendor.CCAI], config),
            Vendor.ALO: alo_app(self.runtimes[Vendor.ALO]),
            Vendor.EVO: evo_app(self.runtimes[Vendor.EVO], config.evo_page_default),
        }
        self._listeners: dict[Vendor, Listener] = {}
        for offset, vendor in enumerate(Vendor):
            runtime = self.runtimes[vendor]
            listener = Listener(
                VendorGuard(apps[vendor], runtime),
                config.host,
                config.port + offset if config.port else 0,
                on_close=runtime.closing.set,
            )
            listener.on_open(runtime.closing.clear)
            self._listeners[vendor] = listener
        self.faults = FaultControl(board, self._listeners)
        admin = AdminApi(creds.admin_token, self.world, self.requests, self.faults)
        self._admin = Listener(admin_app(admin), config.host, config.port + 3 if config.port else 0)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def _runtime(self, vendor: Vendor, board: FaultBoard) -> VendorRuntime:
        config, creds = self.config, self.credentials
        if vendor is Vendor.CCAI:

            def authorized(headers: Headers) -> bool:
                return basic_ok(headers, creds.ccai_username, creds.ccai_token)

            challenge = 'Basic realm="CCAI Platform"'
        elif vendor is Vendor.ALO:
            alo = config.alo_auth

            def authorized(headers: Headers) -> bool:
                return bearer_ok(headers, alo, creds.alo_token)

            challenge = alo.scheme or alo.header
        else:
            evo = config.evo_auth

            def authorized(headers: Headers) -> bool:
                # ServiceStack: an API key, or a user's name and password (Basic).
                return bearer_ok(headers, evo, creds.evo_token) or basic_ok(
                    headers, creds.evo_username, creds.evo_password
                )

            challenge = evo.scheme or evo.header
        limit = config.rate_for(vendor)
        return VendorRuntime(
            vendor=vendor,
            live=self.world,
            faults=board,
            log=self.requests,
            authorized=authorized,
            challenge=challenge,
            bucket=TokenBucket(limit.rate, limit.burst, config.rate_tolerance_s) if limit else None,
            retry_after=config.retry_after,
            fault_rng=random.Random(f"{config.seed}:faults:{vendor}"),
        )

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Open every listener; returns once they accept connections."""
        if self._thread is not None:
            raise RuntimeError("already started")
        self._thread = threading.Thread(target=self._serve, name="ccmon-sim", daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT_S):
            raise RuntimeError("the simulator did not start in time")
        if self._failure is not None:
            self._thread.join(_STOP_TIMEOUT_S)
            self._thread = None
            raise RuntimeError("the simulator could not start") from self._failure
        return self

    def stop(self) -> None:
        """Close every listener and end the server thread (idempotent)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._close_all(), loop)
            try:
                future.result(_STOP_TIMEOUT_S)
            finally:
                loop.call_soon_threadsafe(loop.stop)
        thread.join(_STOP_TIMEOUT_S)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self.faults.bind(loop)
        try:
            loop.run_until_complete(self._open_all())
        except BaseException as failure:  # reported to start()
            self._failure = failure
            loop.run_until_complete(self._close_all())
        finally:
            self._ready.set()
        try:
            if self._failure is None:
                loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def _all_listeners(self) -> list[Listener]:
        return [*self._listeners.values(), self._admin]

    async def _open_all(self) -> None:
        await asyncio.gather(*(listener.open() for listener in self._all_listeners()))
        for vendor, fault in self.config.faults:
            await self.faults.apply(vendor, fault)

    async def _close_all(self) -> None:
        await self.faults.shutdown()
        await asyncio.gather(*(listener.close() for listener in self._all_listeners()))
        current = asyncio.current_task()
        leftovers = [task for task in asyncio.all_tasks() if task is not current]
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)

    # -- where and how to reach it -----------------------------------------------------------

    def port(self, vendor: Vendor | str) -> int:
        return self._listeners[Vendor(vendor)].port

    @property
    def admin_url(self) -> str:
        return f"http://{self.config.host}:{self._admin.port}"

    def base_url(self, vendor: Vendor | str) -> str:
        vendor = Vendor(vendor)
        root = f"http://{self.config.host}:{self.port(vendor)}"
        return root + BASE_PATH if vendor is Vendor.CCAI else root

    @property
    def env(self) -> dict[str, str]:
        """The environment variables that point ccmon at this simulator."""
        creds = self.credentials
        return {
            "CCMON_CCAI_BASE_URL": self.base_url(Vendor.CCAI),
            "CCMON_CCAI_USERNAME": creds.ccai_username,
            "CCMON_CCAI_TOKEN": creds.ccai_token,
            "CCMON_ALO_BASE_URL": self.base_url(Vendor.ALO),
            "CCMON_ALO_TOKEN": creds.alo_token,
            "CCMON_EVO_BASE_URL": self.base_url(Vendor.EVO),
            "CCMON_EVO_TOKEN": creds.evo_token,
        }

    def request_log(self, vendor: Vendor | str | None = None) -> list[RequestRecord]:
        """Every request so far (to one vendor), in arrival order."""
        return self.requests.records(None if vendor is None else Vendor(vendor))
