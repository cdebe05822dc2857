"""The history file: SQLite (WAL, busy timeout), a versioned schema that migrates forward.

Three tables, all times UTC epoch seconds:

* ``contacts``: each contact once, upserted by its key as it moves from waiting to answered
  to ended. Beside the raw times it holds the contact's share of the live figures
  (``ContactStats.add`` at record time, with the SLA settings then in force), so the
  interval figures are sums in SQL and the service level is the live formula
  (:meth:`ContactStats.sl_pct`), never a second copy of it.
* ``samples``: one floor sample a minute (the last one of the minute wins).
* ``agent_seconds``: per 15-minute slot (the smallest interval) and agent, the milliseconds
  spent in each state, one column a state (one narrow row per agent and slot keeps a day of
  5,000 agents small); 30- and 60-minute intervals are sums of slots. ``agents`` numbers
  the (source, agent id) pairs those rows refer to; ``slot_totals`` keeps the floor's sums
  of them (occupancy without reading every agent's row).

A contact counts in the interval it arrived in (as vendors count), even when it is answered
or ends in a later one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from ccmon.domain import AgentState, Interaction
from ccmon.domain.policy import SlaPolicy
from ccmon.domain.serialize import iso
from ccmon.engine.metrics import ContactStats, contact_wait_s

SCHEMA_VERSION = 1
SLOT_S = 15 * 60
"""The agent-state granularity: the smallest interval allowed."""
INTERVAL_MINUTES = (15, 30, 60)
BUSY_TIMEOUT_S = 5.0

STATE_COLUMNS = {
    state.value: f"{state.value}_ms" for state in AgentState if state is not AgentState.OFFLINE
}
"""The state columns of ``agent_seconds`` (time offline is not kept)."""
WORKING_STATES = (AgentState.IN_CALL.value, AgentState.IN_CHAT.value, AgentState.WRAP_UP.value)
"""Occupancy = time on contacts and in wrap-up ÷ that and available."""


class HistoryUnavailable(Exception):
    """The store cannot be used; the message says why in a few words (one line)."""


def why(exc: BaseException) -> str:
    """A store failure in a few words: sqlite's own message, or the OS error's."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.strerror}: {exc.filename}"
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


# -- rows in ------------------------------------------------------------------------------------
_STAT_COLUMNS = (
    "answered",
    "answered_timed",
    "in_sl",
    "abandoned",
    "short_abandoned",
    "handled",
    "wait_total_s",
    "handle_total_s",
    "handle_count",
)
"""The ``ContactStats`` fields a contact contributes, one column each (``offered`` is 1)."""


@dataclass(frozen=True, slots=True)
class ContactRow:
    key: str
    source: str
    channel: str
    queue: str | None
    created: float
    answered_at: float | None
    ended_at: float | None
    wait_s: float | None
    handle_s: float | None
    outcome: str
    customer: str | None
    stats: tuple[float, ...]
    """The values of ``_STAT_COLUMNS`` for this contact."""


def contact_row(
    contact: Interaction, policy: SlaPolicy, *, keep_customer: bool = False
) -> ContactRow | None:
    """The row of one contact; None for a contact without a creation time (it cannot be
    placed in an interval, and the live figures leave it out too)."""
    if contact.created_at is None:
        return None
    share = ContactStats()
    share.add(contact, policy)
    return ContactRow(
        key=contact.key,
        source=contact.source,
        channel=contact.kind,
        queue=contact.queue,
        created=contact.created_at.timestamp(),
        answered_at=_epoch(contact.answered_at),
        ended_at=_epoch(contact.ended_at),
        wait_s=contact_wait_s(contact),
        handle_s=None if contact.duration_s is None else float(contact.duration_s),
        outcome=contact.phase.value,
        customer=contact.customer if keep_customer else None,
        stats=tuple(getattr(share, name) for name in _STAT_COLUMNS),
    )


@dataclass(frozen=True, slots=True)
class Sample:
    """The floor at one minute (``at``: the minute's start, UTC)."""

    at: datetime
    waiting: int | None
    longest_wait_s: float | None
    available: int | None
    on_contact: int | None
    wrap_up: int | None
    away: int | None
    sl_pct: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": iso(self.at),
            "waiting": self.waiting,
            "longest_wait_s": self.longest_wait_s,
            "available": self.available,
            "on_contact": self.on_contact,
            "wrap_up": self.wrap_up,
            "away": self.away,
            "sl_pct": self.sl_pct,
        }


SAMPLE_FIELDS = (
    "waiting",
    "longest_wait_s",
    "available",
    "on_contact",
    "wrap_up",
    "away",
    "sl_pct",
)


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One interval's figures, for the floor (``queue`` None) or one queue and channel."""

    start: datetime
    minutes: int
    queue: str | None
    channel: str | None
    stats: ContactStats
    sl_pct: float | None
    longest_wait_s: float | None
    peak_waiting: int | None = None
    occupancy_pct: float | None = None

    KEYS: ClassVar[tuple[str, ...]] = (
        "start",
        "minutes",
        "queue",
        "channel",
        "offered",
        "answered",
        "abandoned",
        "short_abandoned",
        "answered_in_sl",
        "sl_pct",
        "asa_s",
        "aht_s",
        "longest_wait_s",
        "peak_waiting",
        "occupancy_pct",
    )
    """The keys of :meth:`as_dict`, in order (the CSV's columns)."""

    def as_dict(self) -> dict[str, Any]:
        """The row as ``ccmon report --format json`` prints it (keys in the README)."""
        s = self.stats
        return {
            "start": iso(self.start),
            "minutes": self.minutes,
            "queue": self.queue,
            "channel": self.channel,
            "offered": s.offered,
            "answered": s.answered,
            "abandoned": s.abandoned,
            "short_abandoned": s.short_abandoned,
            "answered_in_sl": s.in_sl,
            "sl_pct": self.sl_pct,
            "asa_s": s.asa_s,
            "aht_s": s.aht_s,
            "longest_wait_s": self.longest_wait_s,
            "peak_waiting": self.peak_waiting,
            "occupancy_pct": self.occupancy_pct,
        }


@dataclass(slots=True)
class AgentSeconds:
    """Seconds per (slot start, source, agent id, state), to be added to the store."""

    cells: dict[tuple[int, str, str, str], float] = field(default_factory=dict)

    def add(self, source: str, agent: str, state: str, start: float, end: float) -> None:
        """Credit ``state`` with ``start``..``end``, split at slot boundaries."""
        while end > start:
            slot = int(start // SLOT_S) * SLOT_S
            upto = min(end, slot + SLOT_S)
            cell = (slot, source, agent, state)
            self.cells[cell] = self.cells.get(cell, 0.0) + (upto - start)
            start = upto

    def __bool__(self) -> bool:
        return bool(self.cells)


# -- the schema ---------------------------------------------------------------------------------
def _v1(db: sqlite3.Connection) -> None:
    stats = ", ".join(f"{name} REAL NOT NULL DEFAULT 0" for name in _STAT_COLUMNS)
    states = ", ".join(f"{column} INTEGER NOT NULL DEFAULT 0" for column in STATE_COLUMNS.values())
    script = f"""
        CREATE TABLE contacts (
            key TEXT PRIMARY KEY, source TEXT NOT NULL, channel TEXT NOT NULL, queue TEXT,
            created REAL NOT NULL, answered_at REAL, ended_at REAL, wait_s REAL,
            handle_s REAL, outcome TEXT NOT NULL, customer TEXT, {stats}
        );
        CREATE INDEX contacts_created ON contacts (created);
        CREATE TABLE samples (
            minute INTEGER PRIMARY KEY, waiting INTEGER, longest_wait_s REAL,
            available INTEGER, on_contact INTEGER, wrap_up INTEGER, away INTEGER, sl_pct REAL
        );
        CREATE TABLE agents (
            ref INTEGER PRIMARY KEY, source TEXT NOT NULL, agent TEXT NOT NULL,
            UNIQUE (source, agent)
        );
        CREATE TABLE agent_seconds (
            slot INTEGER NOT NULL, ref INTEGER NOT NULL, {states},
            PRIMARY KEY (slot, ref)
        ) WITHOUT ROWID;
        CREATE TABLE slot_totals (
            slot INTEGER PRIMARY KEY, working_ms INTEGER NOT NULL, staffed_ms INTEGER NOT NULL
        );
        """
    # executescript() would commit the migration's transaction first: one statement each.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: Sequence[Callable[[sqlite3.Connection], None]] = (_v1,)
"""``MIGRATIONS[n]`` takes a store from schema version ``n`` to ``n + 1``."""
assert len(MIGRATIONS) == SCHEMA_VERSION

# Built from the constant column names above, never from input.
_UPSERT_CONTACT = (
    "INSERT INTO contacts (key, source, channel, queue, created, answered_at, ended_at, "  # noqa: S608
    f"wait_s, handle_s, outcome, customer, {', '.join(_STAT_COLUMNS)}) "
    f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {', '.join('?' for _ in _STAT_COLUMNS)}) "
    "ON CONFLICT (key) DO UPDATE SET channel = excluded.channel, queue = excluded.queue, "
    "created = excluded.created, answered_at = excluded.answered_at, "
    "ended_at = excluded.ended_at, wait_s = excluded.wait_s, handle_s = excluded.handle_s, "
    "outcome = excluded.outcome, customer = excluded.customer, "
    + ", ".join(f"{name} = excluded.{name}" for name in _STAT_COLUMNS)
)
_PUT_SAMPLE = (
    f"INSERT OR REPLACE INTO samples (minute, {', '.join(SAMPLE_FIELDS)}) "  # noqa: S608
    f"VALUES (?, {', '.join('?' for _ in SAMPLE_FIELDS)})"
)
_ADD_AGENT_SECONDS = (
    f"INSERT INTO agent_seconds (slot, ref, {', '.join(STATE_COLUMNS.values())}) "  # noqa: S608
    f"VALUES (?, ?, {', '.join('?' for _ in STATE_COLUMNS)}) ON CONFLICT (slot, ref) DO UPDATE "
    "SET " + ", ".join(f"{c} = {c} + excluded.{c}" for c in STATE_COLUMNS.values())
)
_AGENT_SECONDS = (
    "SELECT source, agent, "  # noqa: S608
    + ", ".join(f"SUM({c})" for c in STATE_COLUMNS.values())
    + " FROM agent_seconds JOIN agents USING (ref) WHERE slot >= ? AND slot < ? GROUP BY ref"
)
_OCCUPANCY = (
    "SELECT slot / :size * :size, SUM(working_ms), SUM(staffed_ms) FROM slot_totals "
    "WHERE slot >= :lo AND slot < :hi GROUP BY 1"
)
_SELECT_SAMPLES = (
    f"SELECT minute, {', '.join(SAMPLE_FIELDS)} FROM samples "  # noqa: S608
    "WHERE minute >= ? AND minute < ? ORDER BY minute"
)


class HistoryStore:
    """One connection to the history file. Not shared between threads: the recorder's
    writer thread opens its own, ``ccmon report`` its own."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        max_pages: int | None = None,
    ) -> None:
        """Open (creating it and its directory if needed) and migrate; a store that cannot
        be used raises :class:`HistoryUnavailable`. ``max_pages`` caps the file's size in
        pages (sqlite's ``max_page_count``: how the tests fill the disk)."""
        self.path = path
        self._agent_refs: dict[tuple[str, str], int] = {}
        if path.parent.exists() and not path.parent.is_dir():
            raise HistoryUnavailable(f"{path.parent} is not a directory")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryUnavailable(why(exc)) from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            if max_pages is not None:
                self._db.execute(f"PRAGMA max_page_count = {int(max_pages)}")
            self._migrate()
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise HistoryUnavailable(f"cannot use write-ahead logging ({mode})")
            self._db.execute("PRAGMA synchronous = NORMAL")
        except (sqlite3.Error, OSError) as exc:
            self._db.close()
            raise HistoryUnavailable(why(exc)) from None
        except HistoryUnavailable:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise HistoryUnavailable(
                f"{self.path} was written by a newer ccmon (schema {version}, this one knows "
                f"up to {SCHEMA_VERSION}); left as it is"
            )
        while version < SCHEMA_VERSION:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while this one waited for the lock.
                version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
                if version < SCHEMA_VERSION:
                    MIGRATIONS[version](self._db)
                    version += 1
                    self._db.execute(f"PRAGMA user_version = {version}")
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    # -- writing --------------------------------------------------------------------------------
    def write(
        self,
        contacts: Iterable[ContactRow] = (),
        samples: Iterable[Sample] = (),
        agent_seconds: AgentSeconds | None = None,
    ) -> None:
        """One transaction: upsert the contacts, put the samples, add the agents' seconds."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                _UPSERT_CONTACT,
                (
                    (
                        r.key,
                        r.source,
                        r.channel,
                        r.queue,
                        r.created,
                        r.answered_at,
                        r.ended_at,
                        r.wait_s,
                        r.handle_s,
                        r.outcome,
                        r.customer,
                        *r.stats,
                    )
                    for r in contacts
                ),
            )
            db.executemany(
                _PUT_SAMPLE,
                (
                    (int(s.at.timestamp() // 60) * 60, *(getattr(s, f) for f in SAMPLE_FIELDS))
                    for s in samples
                ),
            )
            if agent_seconds:
                self._add_agent_seconds(agent_seconds)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _refs(self, agents: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The row number of each (source, agent id), numbering new ones (in the caller's
        transaction)."""
        new = [key for key in set(agents) if key not in self._agent_refs]
        if new:
            self._db.executemany("INSERT OR IGNORE INTO agents (source, agent) VALUES (?, ?)", new)
            for ref, source, agent in self._db.execute("SELECT ref, source, agent FROM agents"):
                self._agent_refs[(source, agent)] = ref
        return self._agent_refs

    def _add_agent_seconds(self, seconds: AgentSeconds) -> None:
        rows: dict[tuple[int, str, str], dict[str, float]] = {}
        for (slot, source, agent, state), seconds_in in seconds.cells.items():
            if state in STATE_COLUMNS:
                row = rows.setdefault((slot, source, agent), {})
                row[state] = row.get(state, 0.0) + seconds_in
        refs = self._refs((source, agent) for _, source, agent in rows)
        totals: dict[int, list[int]] = {}
        values = []
        for (slot, source, agent), by_name in rows.items():
            ms = [round(1000 * by_name.get(state, 0.0)) for state in STATE_COLUMNS]
            values.append((slot, refs[(source, agent)], *ms))
            by_state = dict(zip(STATE_COLUMNS, ms, strict=True))
            working = sum(by_state[s] for s in WORKING_STATES)
            total = totals.setdefault(slot, [0, 0])
            total[0] += working
            total[1] += working + by_state[AgentState.AVAILABLE.value]
        self._db.executemany(_ADD_AGENT_SECONDS, values)
        self._db.executemany(
            "INSERT INTO slot_totals (slot, working_ms, staffed_ms) VALUES (?, ?, ?) "
            "ON CONFLICT (slot) DO UPDATE SET working_ms = working_ms + excluded.working_ms, "
            "staffed_ms = staffed_ms + excluded.staffed_ms",
            ((slot, working, staffed) for slot, (working, staffed) in totals.items()),
        )

    def prune(self, before: datetime) -> None:
        """Forget everything older than ``before`` (the retention)."""
        cut = before.timestamp()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM contacts WHERE created < ?", (cut,))
            db.execute("DELETE FROM samples WHERE minute < ?", (cut,))
            db.execute("DELETE FROM agent_seconds WHERE slot < ?", (cut,))
            db.execute("DELETE FROM slot_totals WHERE slot < ?", (cut,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    # -- reading --------------------------------------------------------------------------------
    def samples(self, start: datetime, end: datetime) -> list[Sample]:
        """The samples of the minutes from ``start`` up to (not including) ``end``."""
        rows = self._db.execute(
            _SELECT_SAMPLES,
            (start.timestamp(), end.timestamp()),
        )
        return [Sample(datetime.fromtimestamp(row[0], UTC), *row[1:]) for row in rows]

    def has_data(self, start: datetime, end: datetime) -> bool:
        """Whether anything was recorded between ``start`` and ``end``."""
        lo, hi = start.timestamp(), end.timestamp()
        row = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE created >= ?1 AND created < ?2) "
            "OR EXISTS (SELECT 1 FROM samples WHERE minute >= ?1 AND minute < ?2) "
            "OR EXISTS (SELECT 1 FROM slot_totals WHERE slot >= ?1 AND slot < ?2)",
            (lo, hi),
        ).fetchone()
        return bool(row[0])

    def intervals(
        self,
        start: datetime,
        end: datetime,
        *,
        interval_min: int,
        policy: SlaPolicy,
        queue: str | None = None,
        by_queue: bool = False,
    ) -> list[IntervalRow]:
        """The intervals between ``start`` and ``end`` that hold anything, oldest first:
        the floor's (every queue and channel together), or with ``queue`` that queue's, one
        row per channel; ``by_queue``: every queue's, one row per queue and channel."""
        if interval_min not in INTERVAL_MINUTES:
            raise ValueError(f"interval_min must be one of {INTERVAL_MINUTES}")
        size = interval_min * 60
        lo, hi = start.timestamp(), end.timestamp()
        per_queue = queue is not None or by_queue
        group = "queue, channel" if per_queue else "NULL, NULL"
        where = "created >= :lo AND created < :hi" + (" AND queue = :queue" if queue else "")
        sums = ", ".join(f"SUM({name})" for name in _STAT_COLUMNS)
        contacts = self._db.execute(
            f"SELECT CAST(created / :size AS INTEGER) * :size AS start, {group}, COUNT(*), "  # noqa: S608 (constant names)
            f"{sums}, MAX(wait_s) FROM contacts WHERE {where} "
            f"GROUP BY 1{', 2, 3' if per_queue else ''}",
            {"size": size, "lo": lo, "hi": hi, "queue": queue},
        ).fetchall()
        rows: dict[tuple[int, str | None, str | None], IntervalRow] = {}
        for at, queue_name, channel, offered, *values, longest in contacts:
            stats = _stats(offered, values)
            rows[(int(at), queue_name, channel)] = IntervalRow(
                start=datetime.fromtimestamp(int(at), UTC),
                minutes=interval_min,
                queue=queue_name,
                channel=channel,
                stats=stats,
                sl_pct=stats.sl_pct(policy),
                longest_wait_s=longest,
            )
        if not per_queue:
            self._add_floor_figures(rows, size=size, lo=lo, hi=hi, interval_min=interval_min)
        return [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1] or "", k[2] or ""))]

    def queue_stats(
        self, start: datetime, end: datetime
    ) -> dict[tuple[str, str | None, str], ContactStats]:
        """The contacts created between ``start`` and ``end`` summed per source, queue and
        channel (the live metrics' keys), in one grouped query."""
        sums = ", ".join(f"SUM({name})" for name in _STAT_COLUMNS)
        found = self._db.execute(
            f"SELECT source, queue, channel, COUNT(*), {sums} FROM contacts "  # noqa: S608 (constant names)
            "WHERE created >= ? AND created < ? GROUP BY 1, 2, 3",
            (start.timestamp(), end.timestamp()),
        ).fetchall()
        return {
            (source, queue, channel): _stats(offered, values)
            for source, queue, channel, offered, *values in found
        }

    def earliest_sample(self, start: datetime, end: datetime) -> datetime | None:
        """The first minute sampled between ``start`` and ``end``: since when a ccmon ran."""
        row = self._db.execute(
            "SELECT MIN(minute) FROM samples WHERE minute >= ? AND minute < ?",
            (start.timestamp(), end.timestamp()),
        ).fetchone()
        return None if row[0] is None else datetime.fromtimestamp(int(row[0]), UTC)

    def _add_floor_figures(
        self,
        rows: dict[tuple[int, str | None, str | None], IntervalRow],
        *,
        size: int,
        lo: float,
        hi: float,
        interval_min: int,
    ) -> None:
        """Peak waiting and longest wait from the samples, occupancy from agent seconds."""
        bounds = {"size": size, "lo": lo, "hi": hi}
        peaks = self._db.execute(
            "SELECT minute / :size * :size, MAX(waiting), MAX(longest_wait_s) FROM samples "
            "WHERE minute >= :lo AND minute < :hi GROUP BY 1",
            bounds,
        ).fetchall()
        occupancy = self._db.execute(_OCCUPANCY, bounds).fetchall()
        extra: dict[int, dict[str, Any]] = {}
        for at, peak, longest in peaks:
            extra.setdefault(int(at), {}).update(peak_waiting=peak, sample_longest=longest)
        for at, busy, staffed_s in occupancy:
            pct = 100.0 * busy / staffed_s if staffed_s else None
            extra.setdefault(int(at), {})["occupancy_pct"] = pct
        for at, figures in extra.items():
            row = rows.get((at, None, None))
            if row is None:
                stats = ContactStats()
                row = IntervalRow(
                    start=datetime.fromtimestamp(at, UTC),
                    minutes=interval_min,
                    queue=None,
                    channel=None,
                    stats=stats,
                    sl_pct=None,
                    longest_wait_s=None,
                )
            waits = [row.longest_wait_s, figures.get("sample_longest")]
            longest = max((w for w in waits if w is not None), default=None)
            rows[(at, None, None)] = IntervalRow(
                start=row.start,
                minutes=row.minutes,
                queue=None,
                channel=None,
                stats=row.stats,
                sl_pct=row.sl_pct,
                longest_wait_s=longest,
                peak_waiting=figures.get("peak_waiting"),
                occupancy_pct=figures.get("occupancy_pct"),
            )

    def agent_seconds(
        self, start: datetime, end: datetime
    ) -> dict[tuple[str, str], dict[str, float]]:
        """Per (source, agent id), the seconds in each state between ``start`` and ``end``
        (whole 15-minute slots; states never taken left out)."""
        rows = self._db.execute(_AGENT_SECONDS, (start.timestamp(), end.timestamp()))
        out: dict[tuple[str, str], dict[str, float]] = {}
        for source, agent, *spent in rows:
            out[(source, agent)] = {
                state: ms / 1000 for state, ms in zip(STATE_COLUMNS, spent, strict=True) if ms
            }
        return out


def _stats(offered: int, values: Sequence[float]) -> ContactStats:
    """A ContactStats from ``COUNT(*)`` and the ``SUM`` of each of ``_STAT_COLUMNS``."""
    stats = ContactStats(offered=int(offered))
    for name, value in zip(_STAT_COLUMNS, values, strict=True):
        setattr(stats, name, value if name.endswith("_s") else int(value))
    return stats


def total(rows: Sequence[IntervalRow], policy: SlaPolicy) -> dict[str, Any]:
    """The day's total of interval rows (the same formulas over the summed counts)."""
    stats = ContactStats()
    for row in rows:
        for name in ("offered", *_STAT_COLUMNS):
            setattr(stats, name, getattr(stats, name) + getattr(row.stats, name))
    waits = [r.longest_wait_s for r in rows if r.longest_wait_s is not None]
    peaks = [r.peak_waiting for r in rows if r.peak_waiting is not None]
    return {
        "offered": stats.offered,
        "answered": stats.answered,
        "abandoned": stats.abandoned,
        "short_abandoned": stats.short_abandoned,
        "answered_in_sl": stats.in_sl,
        "sl_pct": stats.sl_pct(policy),
        "asa_s": stats.asa_s,
        "aht_s": stats.aht_s,
        "longest_wait_s": max(waits, default=None),
        "peak_waiting": max(peaks, default=None),
    }
