"""Read every configured source once, within its rate limit and a hard deadline."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ccmon.domain import Collection, Interaction, Record
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


async def _read_source(source: Source, deadline_s: float) -> SourceReport:
    report = SourceReport(source.name, "ok")
    feeds = snapshot_order(source.feeds())
    started = time.monotonic()
    done: set[str] = set()
    try:
        async with asyncio.timeout(deadline_s):
            for feed in feeds:
                try:
                    await feed.run(float(feed.tier))
                except SourceError as exc:
                    report.failed_feeds.append(feed.name)
                    report.error = report.error or exc.message
                    if exc.kind in (ErrorKind.AUTH, ErrorKind.UNREACHABLE):
                        break  # every other endpoint would fail the same way
                except Exception as exc:  # a bug in one feed must not cost the whole document
                    log.exception("feed %s crashed", feed.id)
                    report.failed_feeds.append(feed.name)
                    report.error = (
                        report.error
                        or f"{source.name}: {feed.name} failed ({redact(repr(exc)):.80})"
                    )
                done.add(feed.name)
    except TimeoutError:
        unread = [f.name for f in feeds if f.name not in done]
        report.failed_feeds += [name for name in unread if name not in report.failed_feeds]
        gave_up = (
            f"gave up after {time.monotonic() - started:.0f} s at "
            f"{source.client.limiter.rate:g} requests/s with {', '.join(unread)} not (fully) read"
        )
        report.error = (
            f"{report.error}; {gave_up}"
            if report.error
            else f"{source.name}: {gave_up} - the source is slow, rate-limiting or too big to "
            "read within a snapshot's deadline (the live screen and `ccmon watch` keep going)"
        )
    if report.error is not None:
        report.status = "error"
    report.counters = source.client.counters.as_dict()
    report.skipped_records = source.tally.skipped
    report.degraded_fields = source.tally.degraded
    return report


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
    # A contact still waiting or talking: its wait or duration so far, as the screen shows it.
    collections[Collection.INTERACTIONS] = [
        r.as_of(now) if isinstance(r, Interaction) else r
        for r in collections[Collection.INTERACTIONS]
    ]
    return Snapshot(now, by_name, collections)
