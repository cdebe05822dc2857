"""Switching faults on and off while the simulator runs, from tests or the admin API.

Most faults are data read by each request; ``down`` also closes the vendor's listener
(and ``flap_s`` keeps closing and reopening it) until it is cleared.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

from ccmon.sim.faults import Fault, FaultBoard, FaultKind, parse_fault
from ccmon.sim.serve.listener import Listener
from ccmon.sim.vendors import Vendor

T = TypeVar("T")
_CONTROL_TIMEOUT_S = 15.0


class FaultControl:
    def __init__(self, board: FaultBoard, listeners: dict[Vendor, Listener]) -> None:
        self.board = board
        self._listeners = listeners
        self._flapping: dict[Vendor, tuple[asyncio.Task[None], asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # -- from any thread but the server's ----------------------------------------------

    def set(self, vendor: Vendor | str, fault: Fault | FaultKind | str, **params: Any) -> None:
        """Start ``fault`` on ``vendor``: a Fault, or a kind plus Fault's fields as keywords.

        ``set("ccai", "slow", delay_s=3)``, ``set(Vendor.EVO, "down")``. Returns once in force
        (for ``down``: once the port refuses connections).
        """
        if not isinstance(fault, Fault):
            fault = Fault(FaultKind(fault), **params)
        self._call(self.apply(Vendor(vendor), fault))

    def spec(self, text: str) -> None:
        """Start the fault named by a ``vendor:kind[=value]`` spec (see :mod:`ccmon.sim.faults`)."""
        vendors, fault = parse_fault(text)
        for vendor in vendors:
            self._call(self.apply(vendor, fault))

    def clear(
        self, vendor: Vendor | str | None = None, kind: FaultKind | str | None = None
    ) -> None:
        """Stop faults: all, one vendor's, or one kind; a closed listener reopens."""
        vendors = list(Vendor) if vendor is None else [Vendor(vendor)]
        for each in vendors:
            self._call(self.remove(each, None if kind is None else FaultKind(kind)))

    def down(self, vendor: Vendor | str) -> None:
        self.set(vendor, FaultKind.DOWN)

    def up(self, vendor: Vendor | str) -> None:
        self.clear(vendor, FaultKind.DOWN)

    def active(self, vendor: Vendor | str) -> list[Fault]:
        return list(self.board.active(Vendor(vendor)).values())

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            raise RuntimeError("the simulator is not running")
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(_CONTROL_TIMEOUT_S)

    # -- on the server's loop ----------------------------------------------------------

    async def apply(self, vendor: Vendor, fault: Fault) -> None:
        self.board.set(vendor, fault)
        if fault.kind is not FaultKind.DOWN:
            return
        await self._stop_flapping(vendor)
        await self._listeners[vendor].close()
        if fault.flap_s:
            stop = asyncio.Event()
            task = asyncio.create_task(self._flap(vendor, fault.flap_s, stop))
            self._flapping[vendor] = (task, stop)

    async def remove(self, vendor: Vendor, kind: FaultKind | None) -> None:
        self.board.clear(vendor, kind)
        if kind in (None, FaultKind.DOWN):
            await self._stop_flapping(vendor)
            await self._listeners[vendor].open()

    async def shutdown(self) -> None:
        for vendor in list(self._flapping):
            await self._stop_flapping(vendor)

    async def _flap(self, vendor: Vendor, every_s: float, stop: asyncio.Event) -> None:
        """Close and reopen in turns; a toggle in progress always completes."""
        listener = self._listeners[vendor]
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_s)
            if stop.is_set():
                return
            await (listener.close() if listener.is_open else listener.open())

    async def _stop_flapping(self, vendor: Vendor) -> None:
        flapping = self._flapping.pop(vendor, None)
        if flapping is not None:
            task, stop = flapping
            stop.set()
            await task
