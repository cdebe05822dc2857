"""Errors a source can raise, each a single line a supervisor can act on."""

from __future__ import annotations

from enum import StrEnum


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
