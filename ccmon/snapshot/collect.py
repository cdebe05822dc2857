"""Read every configured source once, within its rate limit and a hard deadline."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ccmon.domain import RECORD_TYPES, Collection, Interaction, Queue, Record
from ccmon.engine.floor import Floor
from ccmon.engine.health import Health
from ccmon.engine.metrics import queue_wait
from ccmon.http import ErrorKind, SourceError
from ccmon.http.errors import redact
from ccmon.sources.base import Feed, Source, Tier

log = logging.getLogger(__name__)

DEFAULT_DEADLINE_S = 50.0
"""``snapshot`` must finish within a minute whatever the sources do."""


@dataclass(slots=True)
class SourceReport:
    name: str
    status: str
    """"ok", "error" (some or all feeds failed; what was read is kept) or "disabled"."""
    error: str | None = None
    counters: dict[str, Any] = field(default_factory=dict)
    skipped_records: int = 0
    degraded_fields: int = 0
    failed_feeds: list[str] = field(default_factory=list)
    error_kind: ErrorKind | None = None
    """The kind of the error at the front of ``error`` (None for a feed that crashed)."""


@dataclass(slots=True)
class Snapshot:
    generated_at: datetime
    sources: dict[str, SourceReport]
    collections: dict[Collection, list[Record]]

    @property
    def failed(self) -> bool:
        return any(report.status == "error" for report in self.sources.values())


_SNAPSHOT_RANK = {Tier.LIVE: 0, Tier.NEAR: 1, Tier.REFERENCE: 2, Tier.HISTORY: 3}


def snapshot_order(feeds: Sequence[Feed]) -> list[Feed]:
    """What a supervisor needs first, in case the deadline comes before the end: live status,
    then service level, then reference data (a bulky walk such as the roster last: it keeps
    the pages it read), then history.

    Joins with reference data happen when the document is built, so order costs no names."""
    return sorted(feeds, key=lambda f: (_SNAPSHOT_RANK[f.tier], f.bulky))


RETRIED_UNTIL_DEADLINE = frozenset(
    {ErrorKind.TIMEOUT, ErrorKind.SERVER, ErrorKind.RATE_LIMITED, ErrorKind.BAD_RESPONSE}
)
"""A feed that failed this way is read again (within the rate) until the deadline: a flaky
or throttling server often answers on a later try. Refused credentials, an unreachable host
and a rejected request would fail the same way again, so they end the feed (or the source)."""

_ENDS_THE_SOURCE = frozenset({ErrorKind.AUTH, ErrorKind.UNREACHABLE})
"""Every other endpoint of the source would fail the same way."""


@dataclass(frozen=True, slots=True)
class _Failure:
    message: str
    kind: ErrorKind | None
    """None for a feed that crashed (a bug, not something the vendor did)."""


async def _run(source: Source, feed: Feed) -> _Failure | None:
    try:
        await feed.run(float(feed.tier))
    except SourceError as exc:
        return _Failure(exc.message, exc.kind)
    except Exception as exc:  # a bug in one feed must not cost the whole document
        log.exception("feed %s crashed", feed.id)
        return _Failure(f"{source.name}: {feed.name} failed ({redact(repr(exc)):.80})", None)
    return None


async def _read_source(source: Source, deadline_s: float) -> SourceReport:
    report = SourceReport(source.name, "ok")
    feeds = snapshot_order(source.feeds())
    started = time.monotonic()
    read: set[str] = set()
    failures: dict[str, _Failure] = {}
    timed_out = False
    try:
        async with asyncio.timeout(deadline_s):
            todo, rounds = feeds, 0
            while todo:
                if rounds:  # a breather between rounds of retries: 1, 2, 4, 8, 8 ... s
                    await asyncio.sleep(min(2.0 ** (rounds - 1), 8.0))
                rounds += 1
                again: list[Feed] = []
                for feed in todo:
                    failure = await _run(source, feed)
                    if failure is None:
                        read.add(feed.name)
                        failures.pop(feed.name, None)
                        continue
                    failures[feed.name] = failure
                    if failure.kind in _ENDS_THE_SOURCE:
                        again = []
                        break
                    if failure.kind in RETRIED_UNTIL_DEADLINE:
                        again.append(feed)
                todo = again
    except TimeoutError:
        timed_out = True
    report.failed_feeds = [f.name for f in feeds if f.name in failures]
    first = next((failures[f.name] for f in feeds if f.name in failures), None)
    if first is not None:
        report.error, report.error_kind = first.message, first.kind
    if timed_out:
        _gave_up(report, source, [f.name for f in feeds if f.name not in read], started)
    if report.error is not None:
        report.status = "error"
    report.counters = source.client.counters.as_dict()
    report.skipped_records = source.tally.skipped
    report.degraded_fields = source.tally.degraded
    return report


def _gave_up(report: SourceReport, source: Source, unread: list[str], started: float) -> None:
    """Say that the deadline came, and why if a request was still being retried then (a 429
    whose Retry-After is longer than the deadline, a storm of 5xx answers)."""
    report.failed_feeds += [name for name in unread if name not in report.failed_feeds]
    gave_up = (
        f"gave up after {time.monotonic() - started:.0f} s at "
        f"{source.client.limiter.rate:g} requests/s with {', '.join(unread)} not (fully) read"
    )
    counters = source.client.counters
    if report.error is None and counters.retrying is not None:
        report.error = counters.retrying
        report.error_kind = ErrorKind(counters.retrying_kind) if counters.retrying_kind else None
    if report.error is not None:
        report.error = f"{report.error}; {gave_up}"
    else:
        report.error = (
            f"{source.name}: {gave_up} - the source is slow, rate-limiting or too big to "
            "read within a snapshot's deadline (the live screen and `ccmon watch` keep going)"
        )
        report.error_kind = ErrorKind.TIMEOUT


async def collect(
    sources: Sequence[Source],
    configured: Sequence[str],
    *,
    deadline_s: float = DEFAULT_DEADLINE_S,
) -> Snapshot:
    """Read ``sources`` concurrently (each within its own budget); report the others disabled."""
    reports = await asyncio.gather(*(_read_source(s, deadline_s) for s in sources))
    by_name = {report.name: report for report in reports}
    for name in configured:
        by_name.setdefault(name, SourceReport(name, "disabled"))
    now = datetime.now(UTC)
    collections: dict[Collection, list[Record]] = {c: [] for c in Collection}
    for source in sources:
        for collection in Collection:
            collections[collection].extend(source.records(collection))
    return Snapshot(now, by_name, at_moment(collections, now))


def floor_snapshot(floor: Floor, configured: Sequence[str]) -> Snapshot:
    """The snapshot document of what a :class:`Floor` holds now (a hub viewer's: the hub
    read the sources, this process read nothing from them)."""
    now = floor.now()
    by_name: dict[str, SourceReport] = {}
    for h in floor.health():
        failed = h.health in (Health.AUTH_FAILED, Health.UNREACHABLE) or bool(h.failing_feeds)
        by_name[h.source] = SourceReport(
            h.source,
            "error" if failed else "ok",
            error=h.last_error if failed else None,
            counters={"requests": h.requests, "rate_limited": h.rate_limited},
            skipped_records=h.skipped_records,
            degraded_fields=h.degraded_fields,
            failed_feeds=list(h.failing_feeds),
        )
    for name in configured:
        by_name.setdefault(name, SourceReport(name, "disabled"))
    collections: dict[Collection, list[Record]] = {
        c: list(floor.records(c, RECORD_TYPES[c]))  # type: ignore[type-var]
        for c in Collection
    }
    return Snapshot(now, by_name, at_moment(collections, now))


def at_moment(
    collections: dict[Collection, list[Record]], now: datetime
) -> dict[Collection, list[Record]]:
    """Figures that grow with time as they stand at ``now``: a contact still waiting or
    talking has its wait or duration so far, as the screen shows it; a queue its wait."""
    collections[Collection.INTERACTIONS] = [
        r.as_of(now) if isinstance(r, Interaction) else r
        for r in collections[Collection.INTERACTIONS]
    ]
    collections[Collection.QUEUES] = [waits_at(r, now) for r in collections[Collection.QUEUES]]
    return collections


def waits_at(record: Record, now: datetime) -> Record:
    """A queue whose vendor gives only when its longest-waiting contact joined (Evo) with
    ``longest_wait_s`` as of ``now``: a snapshot is one moment, and says the wait then."""
    if not isinstance(record, Queue) or record.longest_wait_s is not None:
        return record
    wait = queue_wait(record, now)
    return record if wait is None else replace(record, longest_wait_s=int(wait))
