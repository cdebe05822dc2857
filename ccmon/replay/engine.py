"""``ReplayEngine``: a :class:`~ccmon.engine.floor.Floor` whose data comes from a recording,
with a time cursor.

The app cannot tell it from the live engine: the same :class:`Store` publishes the same diffs
(each recorded diff becomes one ``Store.replace`` of its source's collection), ``metrics``
is the engine's own, ``now()`` is the recorded time at the cursor and ``health()`` the source
health recorded last before it. There are no sources, so nothing touches the network.

Playing moves the cursor with the clock times ``speed`` and applies each diff when the
cursor reaches it. Stepping and seeking forward apply the diffs in between (many at once as
one net diff per collection); seeking backwards rebuilds the state from the start of the
recording up to the cursor and replaces each collection with it, so the screen shows what
changed between the two moments. That pass is over records already in memory: a few hours
of recording rebuild in well under a second.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ccmon.domain import Collection, Record
from ccmon.engine.floor import StoreFloor
from ccmon.engine.health import SourceHealth
from ccmon.replay.format import RecordedDiff
from ccmon.replay.reader import Recording

log = logging.getLogger(__name__)

Slot = tuple[Collection, str]
MIN_SPEED, MAX_SPEED = 1 / 16, 256.0
TICK_S = 0.25
"""While playing, the cursor moves (and observers hear of it) at least this often."""
FOLD_ABOVE = 64
"""A jump over more diffs than this is applied as one net diff per collection."""


@dataclass(frozen=True, slots=True)
class ReplayState:
    """Where the cursor is, for the replay bar."""

    started: datetime
    position: float
    """Seconds since the start of the recording."""
    duration: float
    applied: int
    """Diffs applied so far (the cursor is after the ``applied``-th)."""
    count: int
    speed: float
    playing: bool

    @property
    def at(self) -> datetime:
        return self.started + timedelta(seconds=self.position)

    @property
    def at_end(self) -> bool:
        return self.applied >= self.count and self.position >= self.duration


def fold(slots: dict[Slot, dict[str, Record]], diffs: Iterable[RecordedDiff]) -> set[Slot]:
    """Apply ``diffs`` to ``slots`` (collection, source → records by key); return the slots
    touched. A touched slot gets a new dict, so callers may keep the old one."""
    touched: set[Slot] = set()
    for diff in diffs:
        slot = (diff.collection, diff.source)
        if diff.initial:
            slots[slot] = dict(diff.records)
        else:
            records = slots.get(slot, {})
            if slot not in touched:
                records = slots[slot] = dict(records)
            for key in diff.removed:
                records.pop(key, None)
            records.update(diff.records)
        touched.add(slot)
    return touched


class ReplayEngine(StoreFloor):
    """A :class:`~ccmon.engine.floor.Floor` that plays a :class:`Recording` into its store;
    ``start`` plays, ``stop`` ends."""

    def __init__(
        self,
        recording: Recording,
        *,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(self.recorded_now)
        self._monotonic = monotonic
        self.recording = recording
        self.started = recording.header.started
        self._diffs = recording.diffs
        self._times = [d.t for d in recording.diffs]
        self._health_times = [h.t for h in recording.health]
        last = [*self._times[-1:], *self._health_times[-1:]]
        self.duration = max(last, default=0.0)
        self.speed = _clamp(speed)
        self.playing = False
        self._position = 0.0
        self._applied = 0
        self._slots: dict[Slot, dict[str, Record]] = {}
        self._last = monotonic()
        self._observers: list[Callable[[], None]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- the engine's interface ------------------------------------------------------------
    def start(self) -> None:
        self.play()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self.playing = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def refresh_now(self) -> None:
        """Nothing to fetch: everything is in the recording."""

    @property
    def source_names(self) -> list[str]:
        return list(self.recording.header.sources)

    def feed_ages(self) -> dict[str, float | None]:
        """Feed ages are not recorded; the recorded health carries each source's age."""
        return {}

    def health(self) -> list[SourceHealth]:
        index = bisect.bisect_right(self._health_times, self._position)
        return list(self.recording.health[index - 1].sources) if index else []

    def recorded_now(self) -> datetime:
        return self.started + timedelta(seconds=self._position)

    def wall(self) -> float:
        """The recorded moment as epoch seconds: the screen's clock for "time in state"."""
        return self.started.timestamp() + self._position

    # -- the cursor ----------------------------------------------------------------------------
    def state(self) -> ReplayState:
        return ReplayState(
            started=self.started,
            position=self._position,
            duration=self.duration,
            applied=self._applied,
            count=len(self._diffs),
            speed=self.speed,
            playing=self.playing,
        )

    def observe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` whenever the cursor moves or playback changes; returns a
        function that stops it."""
        self._observers.append(callback)
        return lambda: self._observers.remove(callback) if callback in self._observers else None

    def play(self) -> None:
        if self.state().at_end:
            self._goto(0, 0.0)
        self._last = self._monotonic()
        self.playing = True
        self._changed()
        self._wake.set()

    def pause(self) -> None:
        self._catch_up()
        self.playing = False
        self._changed()
        self._wake.set()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def step(self, diffs: int) -> None:
        """Pause and move by ``diffs`` recorded diffs (negative: back); the cursor lands on
        the time of the last diff applied."""
        self.pause()
        target = min(max(self._applied + diffs, 0), len(self._diffs))
        self._goto(target, self._times[target - 1] if target else 0.0)
        self._wake.set()

    def seek(self, seconds: float) -> None:
        """Move the cursor by ``seconds`` of recorded time (negative: back)."""
        self._catch_up()
        self.seek_to(self._position + seconds)

    def seek_to(self, position: float) -> None:
        self._catch_up()
        position = min(max(position, 0.0), self.duration)
        self._goto(bisect.bisect_right(self._times, position), position)
        self._wake.set()

    def set_speed(self, speed: float) -> None:
        self._catch_up()  # time played so far counts at the old speed
        self.speed = _clamp(speed)
        self._changed()
        self._wake.set()

    # -- moving --------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            self._wake.clear()
            self._catch_up()
            timeout: float | None = None
            if self.playing:
                due = (
                    self._times[self._applied]
                    if self._applied < len(self._times)
                    else self.duration
                )
                timeout = min(TICK_S, max(0.0, (due - self._position) / self.speed))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    def _catch_up(self) -> None:
        """While playing, move the cursor by the time passed since the last move."""
        if not self.playing:
            return
        now = self._monotonic()
        position = min(self.duration, self._position + (now - self._last) * self.speed)
        self._last = now
        self._goto(bisect.bisect_right(self._times, position), position)
        if position >= self.duration:
            self.playing = False
            self._changed()

    def _goto(self, applied: int, position: float) -> None:
        if applied >= self._applied:
            ahead = self._diffs[self._applied : applied]
            if len(ahead) > FOLD_ABOVE:
                self._publish(fold(self._slots, ahead))
            else:
                for diff in ahead:
                    self._publish(fold(self._slots, [diff]))
        else:
            before = self._slots
            self._slots = {}
            fold(self._slots, self._diffs[:applied])
            self._publish(set(before) | set(self._slots))
        self._applied = applied
        self._position = position
        self._changed()

    def _publish(self, slots: Iterable[Slot]) -> None:
        """Make the store hold ``self._slots``; it sends the diffs to the app."""
        for slot in slots:
            collection, source = slot
            self.store.replace(collection, source, self._slots.get(slot, {}).values())

    def _changed(self) -> None:
        for observer in list(self._observers):
            try:
                observer()
            except Exception:
                log.exception("a replay observer failed")


def _clamp(speed: float) -> float:
    return min(max(speed, MIN_SPEED), MAX_SPEED)
