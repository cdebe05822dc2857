"""The recorder: follows a floor's diffs and keeps them in the history store, off the loop.

On the event loop it only does what costs microseconds: a diff's contacts and agents are
appended to an inbox, and once a minute the floor's records are copied for a sample (about
0.1 ms at 5,000 agents; the figures are computed from the copy in the thread). A writer thread
opens the store (waiting for a lock there, never on the loop), turns the inbox into rows,
writes them in one transaction about every second, and keeps today's interval rows and the
last hour of samples in memory for the screens. A store that cannot be used turns the
history off with one message (``problem``); the floor runs on unchanged.

What the screens read (any thread; nothing here touches the disk):

* :meth:`HistoryRecorder.samples` — the last ``minutes`` per-minute samples, ``None`` where
  none was taken (a gap, never a zero); :meth:`HistoryRecorder.series` one figure of them;
* :meth:`HistoryRecorder.intervals` — today's interval rows, the floor's or one queue's;
* :attr:`HistoryRecorder.problem` — ``"history off: <why>"`` or None.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import NamedTuple

from ccmon.domain import Agent, AgentState, Collection, Interaction, Queue, Record, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.events import DiffEvent
from ccmon.engine.floor import Floor, StoreFloor
from ccmon.engine.forecast import HISTORY, HISTORY_WINDOW_MIN, QueueLoad
from ccmon.engine.metrics import ContactStats, FloorMetrics, compute
from ccmon.history.days import day_bounds, local_day
from ccmon.history.store import (
    BUSY_TIMEOUT_S,
    AgentSeconds,
    ContactRow,
    HistoryStore,
    HistoryUnavailable,
    IntervalRow,
    Sample,
    contact_row,
    why,
)
from ccmon.history.view import SAMPLES_KEPT_MIN, series_of

log = logging.getLogger(__name__)

FLUSH_S = 1.0
SAMPLE_S = 60.0
REFRESH_S = 15.0
"""How often today's interval rows are recomputed from the store (after a write)."""
PRUNE_S = 6 * 3600.0
MAX_CREDIT_S = 3 * SAMPLE_S
"""An agent's time between two accountings longer than this (the clock jumped forward, the
machine slept) is a gap, not time in one state: no interval is made from nothing."""


@dataclass(frozen=True, slots=True)
class _Window:
    """Contacts per (source, queue, channel): the forecast window's, and today's."""

    recent: dict[tuple[str, str | None, str], ContactStats]
    day: dict[tuple[str, str | None, str], ContactStats]


_NONE = ContactStats()


@dataclass(frozen=True, slots=True)
class HistoryOptions:
    path: Path
    interval_min: int = 15
    retention_days: int = 35
    keep_customer: bool = False
    policy: SlaPolicy = field(default_factory=SlaPolicy)
    busy_timeout_s: float = BUSY_TIMEOUT_S
    max_pages: int | None = None
    """Caps the file (sqlite ``max_page_count``): how the tests fill the disk."""
    tz: tzinfo | None = None
    """The zone of "today" (None: this machine's local time)."""


def sample_of(metrics: FloorMetrics, now: datetime) -> Sample:
    """The floor at ``now`` as one minute's sample (the KPI strip's figures)."""
    states = metrics.agents_by_state
    staffed = bool(sum(states.values()))
    longest = (metrics.longest_wait_at(now) or 0.0) if metrics.waiting else 0.0
    return Sample(
        at=now.replace(second=0, microsecond=0),
        waiting=metrics.waiting if metrics.queues else None,
        longest_wait_s=longest if metrics.queues else None,
        available=states[AgentState.AVAILABLE] if staffed else None,
        on_contact=states[AgentState.IN_CALL] + states[AgentState.IN_CHAT] if staffed else None,
        wrap_up=states[AgentState.WRAP_UP] if staffed else None,
        away=states[AgentState.AWAY] if staffed else None,
        sl_pct=metrics.sl_pct,
    )


class TodayRows(NamedTuple):
    """Today's interval rows as last read from the store."""

    day: date
    floor: list[IntervalRow]
    queues: dict[str, list[IntervalRow]]
    """By queue name: the queues a screen asked for, or every queue with contacts today
    (``every_queue``)."""


@dataclass(frozen=True, slots=True)
class _Contacts:
    records: list[Interaction]


@dataclass(frozen=True, slots=True)
class _Agents:
    states: list[tuple[str, str, str | None]]
    """(source, agent id, state; None: gone)."""
    at: float


@dataclass(frozen=True, slots=True)
class _Tick:
    sample: Sample | None
    at: float
    held: dict[Collection, list[Record]] | None = None
    """The floor's records (copies) to compute this minute's sample from, off the loop."""


_SAMPLED = (Collection.AGENTS, Collection.QUEUES, Collection.INTERACTIONS, Collection.SLA)


def _held(floor: StoreFloor) -> dict[Collection, list[Record]]:
    """What a sample is computed from: copying the store's rows costs about a millisecond
    at the big floor, computing its figures ten times that (done in the writer thread)."""
    held: dict[Collection, list[Record]] = {c: [] for c in _SAMPLED}
    for collection, _source, rows in floor.store.slots():
        if collection in held:
            held[collection].extend(rows.values())
    return held


def _sample_from(held: dict[Collection, list[Record]], now: datetime, policy: SlaPolicy) -> Sample:
    """The figures the floor's ``metrics()`` gives, from copies of its records."""
    metrics = compute(
        now=now,
        agents=[r for r in held[Collection.AGENTS] if isinstance(r, Agent)],
        queues=[r for r in held[Collection.QUEUES] if isinstance(r, Queue)],
        interactions=[r for r in held[Collection.INTERACTIONS] if isinstance(r, Interaction)],
        sla=[r for r in held[Collection.SLA] if isinstance(r, Sla)],
        policy=policy,
    )
    return sample_of(metrics, now)


class HistoryRecorder:
    """Records one floor into the store at ``options.path``. An engine companion: start
    and stop it in the floor's event loop (``Engine.companions`` does). A
    :class:`~ccmon.history.view.HistoryView`.

    ``every_queue``: each refresh reads every queue's rows (one grouped query), not only
    the queues a screen asked for: what a hub publishes for viewers that cannot ask."""

    def __init__(
        self,
        floor: Floor,
        options: HistoryOptions,
        *,
        say: Callable[[str], None] | None = None,
        flush_s: float = FLUSH_S,
        sample_s: float = SAMPLE_S,
        refresh_s: float = REFRESH_S,
        every_queue: bool = False,
    ) -> None:
        self.floor = floor
        self.options = options
        self._say = say
        self._flush_s = flush_s
        self._sample_s = sample_s
        self._refresh_s = refresh_s
        self._every_queue = every_queue
        self.changes = 0
        """Counts what a reader of :meth:`today` and :meth:`samples` may want again: each
        refresh of the rows, each minute's sample, the history turning off."""
        self._problem: str | None = None
        self._inbox: deque[_Contacts | _Agents | _Tick] = deque()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._opened = threading.Event()
        self._thread: threading.Thread | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._samples: dict[int, Sample] = {}
        self._today: TodayRows | None = None
        self._queues_wanted: set[str] = set()
        """Queues whose rows a screen asked for: refreshed with the floor's."""
        self._last_minute = -1
        self._refresh_soon = False
        # Writer-thread state: each agent's (state, since) and what is not yet written.
        self._agents: dict[tuple[str, str], tuple[str, float]] = {}
        self._seconds = AgentSeconds()
        self._wrote_contacts = False
        self._window: _Window | None = None

    # -- what the screens read ------------------------------------------------------------------
    @property
    def problem(self) -> str | None:
        """``"history off: <why>"`` once the store cannot be used, else None."""
        return self._problem

    @property
    def loaded(self) -> bool:
        """Whether the store has been opened and today's history read back from it."""
        return self._opened.is_set()

    @property
    def interval_min(self) -> int:
        return self.options.interval_min

    @property
    def tz(self) -> tzinfo | None:
        return self.options.tz

    @property
    def policy(self) -> SlaPolicy:
        return self.options.policy

    def today(self) -> TodayRows | None:
        """Today's rows as last read (None before the first read)."""
        return self._today

    async def wait_loaded(self, timeout_s: float | None = None) -> bool:
        """Wait (off the loop) until :attr:`loaded`; False if ``timeout_s`` passed first."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._opened.wait, timeout_s)

    def samples(self, minutes: int = SAMPLES_KEPT_MIN) -> list[Sample | None]:
        """The last ``minutes`` minutes (at most 60 are kept), oldest first, the current
        minute last; None for a minute without a sample."""
        now = int(self.floor.now().timestamp() // 60) * 60
        with self._lock:
            return [self._samples.get(now - 60 * back) for back in range(minutes - 1, -1, -1)]

    def series(self, figure: str, minutes: int = SAMPLES_KEPT_MIN) -> list[float | None]:
        """One figure of :meth:`samples` (``"sl_pct"``, ``"waiting"`` …), None in the gaps."""
        return series_of(self.samples(minutes), figure)

    def intervals(self, queue: str | None = None) -> list[IntervalRow]:
        """Today's interval rows (refreshed every ``refresh_s``): the floor's, or with
        ``queue`` that queue's, one row per channel. A queue's rows are read from the first
        time they are asked for: until the next refresh the answer is ``[]``."""
        if queue is not None and not self._every_queue and queue not in self._queues_wanted:
            self._queues_wanted = {*self._queues_wanted, queue}
            self._wake.set()
            self._refresh_soon = True
        today = self._today
        if today is None:
            return []
        if queue is None:
            return list(today[1])
        return list(today[2].get(queue, []))

    # -- the loop's side ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ccmon-history", daemon=True)
        self._thread.start()
        self._unsubscribe = self.floor.subscribe(self._on_diff)
        with contextlib.suppress(RuntimeError):  # no running loop: samples come at stop only
            self._task = asyncio.get_running_loop().create_task(self._keep_sampling())

    async def stop(self) -> None:
        """The last sample, everything pending written, the store closed."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.take_sample()
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            thread, self._thread = self._thread, None
            await asyncio.get_running_loop().run_in_executor(None, thread.join)

    def _on_diff(self, event: DiffEvent) -> None:
        if self._problem is not None:
            return
        if event.collection is Collection.INTERACTIONS:
            moved = [r for r in event.diff.added.values() if isinstance(r, Interaction)]
            moved += [c.new for c in event.diff.changed.values() if isinstance(c.new, Interaction)]
            if moved:
                self._inbox.append(_Contacts(moved))
        elif event.collection is Collection.AGENTS:
            now = self.floor.now().timestamp()
            states: list[tuple[str, str, str | None]] = []
            for record in event.diff.added.values():
                if isinstance(record, Agent):
                    states.append((record.source, record.id, record.state.value))
            for change in event.diff.changed.values():
                new = change.new
                if isinstance(new, Agent) and "state" in change.fields:
                    states.append((new.source, new.id, new.state.value))
            for record in event.diff.removed.values():
                if isinstance(record, Agent):
                    states.append((record.source, record.id, None))
            if states:
                self._inbox.append(_Agents(states, now))

    async def _keep_sampling(self) -> None:
        while True:
            # Sample at the start of each minute of the loop's clock (the floor's may be
            # simulated: its minute is the sample's key, whatever the pace).
            await asyncio.sleep(self._sample_s - (time.time() % self._sample_s))
            self.take_sample()

    def take_sample(self) -> None:
        """The floor's figures now as this minute's sample (also accounts agents' time).
        A minute not after the last one sampled (the clock went back) is not sampled."""
        if self._problem is not None:
            return
        now = self.floor.now()
        minute = int(now.timestamp() // 60) * 60
        sample: Sample | None = None
        held: dict[Collection, list[Record]] | None = None
        counts = self.floor.collections()
        if minute > self._last_minute and (counts[Collection.QUEUES] or counts[Collection.AGENTS]):
            self._last_minute = minute
            if isinstance(self.floor, StoreFloor):
                held = _held(self.floor)
            else:
                sample = sample_of(self.floor.metrics(self.options.policy), now)
                self._keep_sample(sample)
        self._inbox.append(_Tick(sample, now.timestamp(), held))
        self._wake.set()

    def _keep_sample(self, sample: Sample) -> None:
        minute = int(sample.at.timestamp())
        with self._lock:
            self._samples[minute] = sample
            for old in [m for m in self._samples if m <= minute - 60 * SAMPLES_KEPT_MIN]:
                del self._samples[old]
            self.changes += 1

    # -- the writer thread ----------------------------------------------------------------------
    def _off(self, reason: str) -> None:
        if self._problem is None:
            self._problem = f"history off: {reason}"
            log.warning("%s (%s)", self._problem, self.options.path)
            if self._say is not None:
                self._say(self._problem)
            self.changes += 1
        self._inbox.clear()

    def _run(self) -> None:
        store: HistoryStore | None = None
        try:
            store = HistoryStore(
                self.options.path,
                busy_timeout_s=self.options.busy_timeout_s,
                max_pages=self.options.max_pages,
            )
            self._prune(store)
            self._load(store)
            self._opened.set()
            last_prune, last_refresh = time.monotonic(), time.monotonic()
            first_write = True  # the first contacts show at once, not a refresh later
            while True:
                self._wake.wait(self._flush_s)
                self._wake.clear()
                stopping = self._stopping.is_set()
                wrote = self._write(store)
                now = time.monotonic()
                first_contacts = first_write and self._wrote_contacts
                due = now - last_refresh >= self._refresh_s or first_contacts
                first_write = first_write and not self._wrote_contacts
                if (wrote and (stopping or due)) or self._refresh_soon:
                    self._refresh_soon = False
                    self._refresh(store)
                    last_refresh = now
                if now - last_prune >= PRUNE_S:
                    self._prune(store)
                    last_prune = now
                if stopping and not self._inbox:
                    break
        except HistoryUnavailable as exc:
            self._off(str(exc))
        except Exception as exc:  # sqlite3.Error, OSError, MemoryError … : never the floor's
            self._off(why(exc))
        finally:
            self._opened.set()
            if store is not None:
                store.close()

    def _write(self, store: HistoryStore) -> bool:
        contacts: dict[str, ContactRow] = {}
        samples: list[Sample] = []
        options = self.options
        while self._inbox:
            item = self._inbox.popleft()
            if isinstance(item, _Contacts):
                for record in item.records:
                    row = contact_row(record, options.policy, keep_customer=options.keep_customer)
                    if row is not None:
                        contacts[row.key] = row
            elif isinstance(item, _Agents):
                self._agents_moved(item.states, item.at)
            else:
                sample = item.sample
                if item.held is not None:
                    moment = datetime.fromtimestamp(item.at, UTC)
                    sample = _sample_from(item.held, moment, options.policy)
                    self._keep_sample(sample)
                if sample is not None:
                    samples.append(sample)
                self._account(item.at)
        self._wrote_contacts = bool(contacts)
        if not (contacts or samples or self._seconds):
            return False
        store.write(contacts=contacts.values(), samples=samples, agent_seconds=self._seconds)
        self._seconds = AgentSeconds()
        return True

    def _agents_moved(self, states: Iterable[tuple[str, str, str | None]], at: float) -> None:
        for source, agent, state in states:
            key = (source, agent)
            before = self._agents.pop(key, None)
            if before is not None:
                self._credit(key, before[0], before[1], at)
            if state is not None:
                self._agents[key] = (state, at)

    def _account(self, at: float) -> None:
        """Credit every agent's current state up to ``at``."""
        for key, (state, since) in self._agents.items():
            self._credit(key, state, since, at)
            self._agents[key] = (state, max(since, at))

    def _credit(self, key: tuple[str, str], state: str, start: float, end: float) -> None:
        if state == AgentState.OFFLINE.value or not 0 < end - start <= MAX_CREDIT_S:
            return
        self._seconds.add(key[0], key[1], state, start, end)

    def _prune(self, store: HistoryStore) -> None:
        horizon = datetime.now(UTC) - timedelta(days=self.options.retention_days)
        store.prune(horizon)

    def _load(self, store: HistoryStore) -> None:
        """Today's intervals and the last hour's samples, so the trends are there at once."""
        now = self.floor.now()
        loaded = store.samples(now - timedelta(minutes=SAMPLES_KEPT_MIN), now)
        with self._lock:
            for sample in loaded:
                self._samples.setdefault(int(sample.at.timestamp()), sample)
        self._refresh(store)

    def _measure_window(self, store: HistoryStore, day_start: datetime) -> _Window | None:
        """Each queue's contacts of the last ``HISTORY_WINDOW_MIN`` minutes and of today;
        None while the history does not cover the window: no minute sample within a minute
        or two of the window's start (no ccmon was recording then)."""
        now = self.floor.now()
        start = now - timedelta(minutes=HISTORY_WINDOW_MIN)
        first = store.earliest_sample(start - timedelta(minutes=2), now)
        if first is None or first > start + timedelta(minutes=1):
            return None
        return _Window(store.queue_stats(start, now), store.queue_stats(day_start, now))

    def loads(self, metrics: FloorMetrics) -> dict[str, QueueLoad]:
        """Each queue's load for the forecast from the history (as of its last refresh);
        empty while the history does not cover the window."""
        window = self._window
        if window is None:
            return {}
        out: dict[str, QueueLoad] = {}
        for key, queue in metrics.queues.items():
            q = queue.queue
            at = (q.source, q.name, q.channel)
            day = window.day.get(at, _NONE)
            stats = window.recent.get(at, _NONE)
            out[key] = QueueLoad(
                stats, HISTORY_WINDOW_MIN, HISTORY, day.handle_total_s, day.handle_count
            )
        return out

    def _refresh(self, store: HistoryStore) -> None:
        day = local_day(self.floor.now(), self.options.tz)
        start, end = day_bounds(day, self.options.tz)
        minutes, policy = self.options.interval_min, self.options.policy
        floor = store.intervals(start, end, interval_min=minutes, policy=policy)
        queues: dict[str, list[IntervalRow]] = {}
        if self._every_queue:
            for row in store.intervals(
                start, end, interval_min=minutes, policy=policy, by_queue=True
            ):
                if row.queue is not None:
                    queues.setdefault(row.queue, []).append(row)
        else:
            queues = {
                queue: store.intervals(start, end, interval_min=minutes, policy=policy, queue=queue)
                for queue in self._queues_wanted
            }
        self._today = TodayRows(day, floor, queues)
        self._window = self._measure_window(store, start)
        with self._lock:
            self.changes += 1
