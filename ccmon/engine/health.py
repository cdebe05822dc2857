"""Per-source health in words a supervisor understands, for the status bar and ``watch``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ccmon.engine.scheduler import FeedState
from ccmon.http import ErrorKind
from ccmon.sources.base import Source, Tier


class Health(StrEnum):
    STARTING = "starting"
    OK = "ok"
    DEGRADED = "degraded"
    """Some feeds fail or the data is late; what is on screen is still shown."""
    RATE_LIMITED = "rate limited"
    AUTH_FAILED = "auth failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class SourceHealth:
    source: str
    health: Health
    age_s: float | None
    """Age of the source's most urgent data (its lowest tier of feeds)."""
    used_last_minute: int
    budget_per_minute: int
    rate_limited: int
    requests: int
    last_error: str | None
    failing_feeds: tuple[str, ...]
    skipped_records: int
    degraded_fields: int
    rate: float | None = None
    """Requests/second the settings allow."""
    effective_rate: float | None = None
    """Requests/second the limiter allows now: lower than ``rate`` for a while after a 429."""


# How each health reads at a glance: its symbol and its level (the colour of the screens).
SYMBOL = {
    Health.STARTING: "…",
    Health.OK: "●",
    Health.DEGRADED: "◐",
    Health.RATE_LIMITED: "◑",
    Health.AUTH_FAILED: "✖",
    Health.UNREACHABLE: "✖",
}
LEVEL = {
    Health.STARTING: "muted",
    Health.OK: "good",
    Health.DEGRADED: "warn",
    Health.RATE_LIMITED: "warn",
    Health.AUTH_FAILED: "bad",
    Health.UNREACHABLE: "bad",
}


_NETWORK = frozenset({ErrorKind.UNREACHABLE, ErrorKind.TIMEOUT})


def _answered_since_failing(states: Sequence[FeedState]) -> bool:
    """True if a feed completed after the newest run of failures began.

    Only feeds that ran since can tell whether the vendor answers: reference feeds poll
    every 10-60 minutes, so waiting for *every* feed to fail would keep an outage reading
    "degraded" for up to an hour. The newest run counts, so that an endpoint failing for
    an hour does not make a later outage of the whole host read "degraded", and a success
    from just before the outage (while the first failing poll was still retrying) does not
    either.
    """
    failing = [s.failing_since for s in states if s.error is not None and s.failing_since]
    since = max(failing, default=0.0)
    return any(s.error is None and s.last_ok is not None and s.last_ok > since for s in states)


def _disproved(state: FeedState, states: Sequence[FeedState]) -> bool:
    """True if the feed's error is a connection failure and another feed of the source got
    an answer after it: the host is back, so the error line must not keep saying it cannot
    be reached until this feed's own next try (its backoff can be 15-30 s). A connection
    failure is the host's, never one endpoint's; other errors stay until the feed succeeds."""
    error = state.error
    if error is None or error.kind is not ErrorKind.UNREACHABLE:
        return False
    failed_at = max(state.last_attempt or 0.0, state.failing_since or 0.0)
    return any(
        other.last_ok is not None and other.last_ok > failed_at
        for other in states
        if other is not state
    )


LATE_INTERVALS = 3
"""Live data older than this many poll intervals is late: the source is not shown as "ok"."""
LATE_MIN_S = 5.0
"""...and older than this: with sub-second intervals, a second's age is a slow answer or a
busy machine, not a starved feed."""


def _live_late(states: Sequence[FeedState], now: float) -> bool:
    """True if a live feed's data is older than :data:`LATE_INTERVALS` of its intervals (the
    budget went elsewhere, or the answers are slow) although nothing failed."""
    return any(
        s.feed.tier is Tier.LIVE
        and (age := s.age(now)) is not None
        and age > max(LATE_INTERVALS * s.feed.interval_s, LATE_MIN_S)
        for s in states
    )


def source_health(source: Source, states: Sequence[FeedState], now: float) -> SourceHealth:
    # Words follow the latest evidence: a success clears a connection failure seen before it,
    # and a refusal being retried right now (the first of an outage, or of a start against a
    # closed port) already says "unreachable", not "starting" or "ok".
    states_in_error = [s for s in states if s.error is not None and not _disproved(s, states)]
    errors = [s.error for s in states_in_error if s.error is not None]
    kinds = {e.kind for e in errors}
    ok_runs = any(s.runs for s in states)
    refused_now = source.client.counters.retrying_kind == ErrorKind.UNREACHABLE.value
    if ErrorKind.AUTH in kinds:
        health = Health.AUTH_FAILED
    elif refused_now or (errors and kinds <= _NETWORK and not _answered_since_failing(states)):
        health = Health.UNREACHABLE
    elif ErrorKind.RATE_LIMITED in kinds or source.client.limiter.paused_for > 0:
        health = Health.RATE_LIMITED
    elif errors:
        health = Health.DEGRADED
    elif not ok_runs:
        health = Health.STARTING
    elif _live_late(states, now):
        health = Health.DEGRADED
    else:
        health = Health.OK
    urgent = min((s.feed.tier for s in states), default=Tier.LIVE)
    ages = [s.age(now) for s in states if s.feed.tier == urgent]
    known = [a for a in ages if a is not None]
    counters = source.client.counters
    last_error = max(errors, key=lambda e: e.kind is ErrorKind.AUTH).message if errors else None
    if counters.retrying is not None and (last_error is None or refused_now):
        # No feed has given up yet (a request's retries take a few seconds): say what is
        # happening now instead of a blank line under "starting".
        last_error = f"{counters.retrying} (retrying)"
    return SourceHealth(
        source=source.name,
        health=health,
        age_s=max(known) if known and len(known) == len(ages) else None,
        used_last_minute=source.client.limiter.used_last_minute(),
        budget_per_minute=source.client.limiter.budget_per_minute,
        rate_limited=counters.rate_limited,
        requests=counters.requests,
        last_error=last_error,
        failing_feeds=tuple(s.feed.name for s in states_in_error),
        skipped_records=source.tally.skipped,
        degraded_fields=source.tally.degraded,
        rate=source.client.limiter.rate,
        effective_rate=source.client.limiter.effective_rate,
    )
