"""``--record FILE``: write the engine's diffs (and its source health) to a recording.

The writer only touches a local file. Lines are encoded as the diffs arrive (no record is
kept in memory) and compressed into the file at least every ``flush_s`` with a zlib sync
flush, so everything written so far is readable even if ccmon is killed: a crash loses at
most the last second. The file is created only if it does not exist, readable by its owner
alone: recordings hold caller numbers and names.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import logging
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ccmon.engine.events import DiffEvent
from ccmon.engine.floor import Floor
from ccmon.errors import ConfigError
from ccmon.files import open_private
from ccmon.replay.format import diff_line, header_line, health_line

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)

FLUSH_S = 1.0
HEALTH_S = 5.0
MAX_PENDING_BYTES = 1 << 20
"""Encoded lines waiting for the next flush; more than this is written at once."""


def create_recording(path: Path) -> IO[bytes]:
    """A new file for a recording (never an existing one), or a one-line ConfigError."""
    try:
        fd = open_private(path)
    except FileExistsError:
        raise ConfigError(
            f"{path} already exists; ccmon never overwrites a recording: choose another name"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot create the recording {path}: {exc.strerror}") from None
    return os.fdopen(fd, "wb")


class Recorder:
    """Subscribes to an engine and appends every diff and, every ``health_s``, the source
    health to a recording. Use ``async with Recorder(...)`` (or start/stop) inside the
    engine's event loop; the file is created and the header written at construction, so a
    bad path is reported before anything starts."""

    def __init__(
        self,
        path: Path,
        engine: Floor,
        *,
        flush_s: float = FLUSH_S,
        health_s: float = HEALTH_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.engine = engine
        self.error: str | None = None
        """Why recording stopped early (a full disk …), or None."""
        self.lines = 0
        self._flush_s = flush_s
        self._health_s = health_s
        self._monotonic = monotonic
        self._raw = create_recording(path)
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb", filename="", mtime=0)
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._started = monotonic()
        self._last_health = -health_s
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._add(header_line(engine.source_names, engine.now()))
        self.flush()

    async def __aenter__(self) -> Recorder:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start(self) -> None:
        """Record from now on: the engine's current state first (as ``initial`` diffs)."""
        self._unsubscribe = self.engine.subscribe(self._on_diff)
        self._record_health()
        self._task = asyncio.get_running_loop().create_task(self._keep_flushing())

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._record_health()
        self.flush()
        self._close()

    def raise_if_failed(self) -> None:
        """After the run: a one-line ConfigError if recording stopped early."""
        if self.error is not None:
            raise ConfigError(f"{self.error}; what came before it is in the recording")

    # -- lines in ------------------------------------------------------------------------------
    def _elapsed(self) -> float:
        return self._monotonic() - self._started

    def _on_diff(self, event: DiffEvent) -> None:
        self._add(diff_line(event, self._elapsed()))
        if self._pending_bytes > MAX_PENDING_BYTES:
            self.flush()

    def _record_health(self) -> None:
        self._last_health = self._elapsed()
        self._add(health_line(self.engine.health(), self._last_health))

    def _add(self, line: dict[str, Any]) -> None:
        if self.error is not None:
            return
        data = json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        self._pending.append(data)
        self._pending_bytes += len(data)
        self.lines += 1

    # -- lines out -----------------------------------------------------------------------------
    async def _keep_flushing(self) -> None:
        while self.error is None:
            await asyncio.sleep(self._flush_s)
            if self._elapsed() - self._last_health >= self._health_s:
                self._record_health()
            self.flush()

    def flush(self) -> None:
        """Compress what is pending into the file, readable up to here (zlib sync flush)."""
        if self.error is not None or self._gzip.closed:
            return
        try:
            self._gzip.write(b"".join(self._pending))
            self._gzip.flush(zlib.Z_SYNC_FLUSH)
        except OSError as exc:
            self._fail(exc)
        self._pending.clear()
        self._pending_bytes = 0

    def _fail(self, exc: OSError) -> None:
        self.error = f"writing {self.path} failed: {exc.strerror or exc}"
        log.error("recording stopped: %s", self.error)
        self._pending.clear()
        self._pending_bytes = 0
        with contextlib.suppress(OSError, ValueError):
            self._gzip.close()
        with contextlib.suppress(OSError):
            self._raw.close()

    def _close(self) -> None:
        if self.error is not None or self._gzip.closed:
            return
        try:
            self._gzip.close()  # writes the end-of-stream marker: "complete"
            self._raw.close()
        except OSError as exc:
            self._fail(exc)


def run_recorded(app: App[Any], engine: Floor, path: Path, *, mouse: bool = True) -> None:
    """Run ``app`` (which drives ``engine``) while recording the engine to ``path``."""
    recorder = Recorder(path, engine)  # a bad path is reported before the screen starts

    async def run() -> None:
        async with recorder:
            await app.run_async(mouse=mouse)

    asyncio.run(run())
    recorder.raise_if_failed()
