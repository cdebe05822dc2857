"""One account's request spacing, shared by every ccmon process on this machine.

A vendor's limit is per customer, not per process: a ``snapshot`` started while the TUI runs,
or a ``doctor`` right after a ``snapshot``, would otherwise send its first request at once and
draw a 429. Each process keeps, in a small JSON file per account under the user state dir,
when its latest request went on the wire and the spacing it keeps; before sending, a process
waits until every *other* process's latest request is that spacing old. A request granted but
not yet on the wire (still connecting) holds the others back until it is, for at most
:data:`HOLD_S`. The file is read and written under ``fcntl.flock`` for a few microseconds per
request; there is no daemon, and an entry of a process that died simply ages out.

The file is named by a hash of the source kind, base URL and credential identity (the CCAI
username, or the token for ALO and Evo): never the secret itself. If the file cannot be used
(no ``fcntl``, a read-only home), ccmon says so once in the log and spaces its own requests only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from platformdirs import user_state_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

APP = "ccmon"
HOLD_S = 10.0
"""A request granted but not yet on the wire holds the other processes back at most this long."""
POLL_S = 0.05
"""How often a process waiting behind a request that is still connecting looks again."""
FORGET_S = 120.0
"""Entries older than this are dropped from the file."""


def budget_dir() -> Path:
    """``$XDG_STATE_HOME/ccmon/budget`` on Linux (the platform's state dir elsewhere)."""
    return user_state_path(APP) / "budget"


def account_key(kind: str, base_url: str, identity: str) -> str:
    """A file name for one account: a hash, so no credential is ever written in clear."""
    digest = hashlib.sha256("\0".join((kind, base_url.rstrip("/"), identity)).encode())
    return f"{kind}-{digest.hexdigest()[:32]}"


class SharedBudget:
    """The cross-process side of one account's rate limit (see the module docstring)."""

    def __init__(self, path: Path, *, wall: Callable[[], float] = time.time) -> None:
        self.path = path
        self.owner = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._wall = wall
        self._broken = fcntl is None

    @classmethod
    def for_account(cls, kind: str, base_url: str, identity: str) -> SharedBudget:
        return cls(budget_dir() / f"{account_key(kind, base_url, identity)}.json")

    def claim(self, spacing_s: float) -> float:
        """0.0 if a request may go now (it is then recorded as pending), else seconds to wait."""
        with self._entries() as entries:
            if entries is None:
                return 0.0
            now = self._wall()
            wait = 0.0
            for owner, entry in entries.items():
                if owner == self.owner:
                    continue  # this process's own limiter spaces its own requests
                at, spacing = float(entry["at"]), float(entry["spacing"])
                # A request still connecting: look again soon (it may take up to HOLD_S).
                ready = min(at + HOLD_S, now + POLL_S) if entry.get("pending") else at + spacing
                wait = max(wait, ready - now)
            if wait > 0:
                return wait
            entries[self.owner] = {"at": now, "spacing": spacing_s, "pending": True}
            return 0.0

    def on_wire(self, spacing_s: float) -> None:
        """This process's request just went out: the others keep ``spacing_s`` from now."""
        with self._entries() as entries:
            if entries is not None:
                entries[self.owner] = {"at": self._wall(), "spacing": spacing_s}

    def release(self) -> None:
        """A claimed request will not be sent after all (cancelled before the wire)."""
        with self._entries() as entries:
            if entries is not None and entries.get(self.owner, {}).get("pending"):
                del entries[self.owner]

    @contextlib.contextmanager
    def _entries(self) -> Iterator[dict[str, Any] | None]:
        """The file's entries under an exclusive lock, written back when the block ends."""
        if self._broken:
            yield None
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            self._give_up(exc)
            yield None
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            entries = self._read(fd)
            before = dict(entries)
            yield entries
            if entries != before:
                data = json.dumps(entries, separators=(",", ":")).encode()
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, data)
        except OSError as exc:
            self._give_up(exc)
        finally:
            os.close(fd)  # releases the lock

    def _read(self, fd: int) -> dict[str, Any]:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        try:
            raw = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            raw = {}
        now = self._wall()
        entries: dict[str, Any] = {}
        for owner, entry in raw.items() if isinstance(raw, dict) else ():
            try:
                at = float(entry["at"])
                float(entry["spacing"])
            except (TypeError, KeyError, ValueError):
                continue
            # Too old to matter, or from the future (the wall clock was set back): forget it.
            if now - FORGET_S < at <= now + 1.0:
                entries[str(owner)] = entry
        return entries

    def _give_up(self, exc: OSError) -> None:
        if not self._broken:
            log.warning(
                "cannot share the request budget through %s (%s); spacing this process's "
                "requests only",
                self.path,
                exc.strerror or exc,
            )
        self._broken = True
