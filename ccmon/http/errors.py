"""Errors a source can raise, each a single line a supervisor can act on."""

from __future__ import annotations

import re
import threading
from enum import StrEnum

REDACTED = "***"
_SHORT = 8
"""Secrets shorter than this are redacted only as whole words: a four-letter token must not
turn every "token" in a message into "***en"."""
_TOO_SHORT = 4
"""Shorter values are not secrets worth the damage: redacting "1" would garble "1 s"."""

_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember ``value`` (a token, a password, an encoded credential) so that :func:`redact`
    removes it from every message, whatever library put it there."""
    global _pattern
    if not value or len(value.strip()) < _TOO_SHORT:
        return
    forms = {value, value.strip(), repr(value)[1:-1], repr(value.encode("utf-8", "replace"))[2:-1]}
    with _lock:
        if forms <= _secrets:
            return
        _secrets.update(form for form in forms if form)
        parts = [
            re.escape(s) if len(s) >= _SHORT else rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])"
            for s in sorted(_secrets, key=len, reverse=True)
        ]
        _pattern = re.compile("|".join(parts))


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``.

    The last line of defence: messages are built not to hold secrets in the first place
    (credentials travel in headers, exception texts that may quote a header are not shown),
    and this makes sure of it for every error message and log line."""
    pattern = _pattern
    return text if pattern is None or not text else pattern.sub(REDACTED, text)


class ErrorKind(StrEnum):
    AUTH = "auth failed"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timed out"
    RATE_LIMITED = "rate limited"
    SERVER = "server error"
    BAD_RESPONSE = "bad response"
    REJECTED = "request rejected"
    NOT_FOUND = "not found"


TRANSIENT = frozenset({ErrorKind.UNREACHABLE, ErrorKind.TIMEOUT, ErrorKind.SERVER})
"""Kinds worth retrying with backoff (429 is retried too, but paced by the shared limiter)."""


class SourceError(Exception):
    """A request to a vendor failed; ``str()`` is the one-line message to show.

    Messages name the source, the endpoint path (never a full URL with credentials) and,
    where it helps, what to check. ``retry_after`` is set for 429 answers.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        endpoint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.endpoint = endpoint
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT or self.kind is ErrorKind.RATE_LIMITED

    def __str__(self) -> str:
        return self.message
