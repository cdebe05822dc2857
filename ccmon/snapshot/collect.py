"""Read every configured source once, within its rate limit and a hard deadline."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ccmon.domain import Collection, Record
from ccmon.http import ErrorKind, SourceError
from ccmon.sources.base import Feed, Source

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


def snapshot_order(feeds: Sequence[Feed]) -> list[Feed]:
    """Reference data first (names for the live feeds to join with), then by tier."""
    return sorted(feeds, key=lambda f: -f.tier if f.tier == max(f.tier for f in feeds) else f.tier)


async def _read_source(source: Source, deadline_s: float) -> SourceReport:
    report = SourceReport(source.name, "ok")
    feeds = snapshot_order(source.feeds())
    started = time.monotonic()
    try:
        async with asyncio.timeout(deadline_s):
            for feed in feeds:
                try:
                    await feed.run(float(feed.tier))
                except SourceError as exc:
                    report.failed_feeds.append(feed.name)
                    report.error = report.error or exc.message
                    if exc.kind is ErrorKind.AUTH:
                        break  # every other endpoint will refuse the same credentials
                except Exception as exc:  # a bug in one feed must not cost the whole document
                    log.exception("feed %s crashed", feed.id)
                    report.failed_feeds.append(feed.name)
                    report.error = (
                        report.error or f"{source.name}: {feed.name} failed ({exc!r:.80})"
                    )
    except TimeoutError:
        done = ", ".join(report.failed_feeds)
        report.error = (
            f"{source.name}: gave up after {time.monotonic() - started:.0f} s "
            f"(the source is slow or rate-limiting){'; failed: ' + done if done else ''}"
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
    collections: dict[Collection, list[Record]] = {c: [] for c in Collection}
    for source in sources:
        for collection in Collection:
            collections[collection].extend(source.records(collection))
    return Snapshot(datetime.now(UTC), by_name, collections)
