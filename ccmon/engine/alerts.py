"""Alerts: thresholds on floor metrics and source health, with hysteresis.

An alert is *raised* when its value crosses the threshold and *cleared* only once the value is
back inside the threshold by a margin and has stayed there for ``clear_after_s`` (30 s), so a
value hovering at the threshold raises once, not on every poll. The hold matters for small
counts, where no margin helps: one agent becoming free while contacts wait takes the next
contact at once, and "0 available" would otherwise clear and raise again on every answer.
Each rule yields at most one event per change of state. What to do with an event (notify,
ring the bell, run a command) is the caller's business.

| rule | value | raised when | cleared when |
|---|---|---|---|
| `longest_wait_s` | longest current wait of any queue (s) | > threshold | ≤ 80 % of it |
| `sl_below_pct` | service level, computed (%) | < threshold | ≥ threshold + 2 points |
| `waiting_above` | contacts waiting on the floor | > threshold | ≤ 80 % of it |
| `available_below` | agents available while someone waits¹ | < threshold | ≥ it, or none wait |
| `asa_above_s` | average speed of answer in the SLA window (s) | > threshold | ≤ 80 % of it |
| `abandon_above_pct` | abandonment in the SLA window (%) | > threshold | ≤ 80 % of it |
| `source_down_s` | seconds a source is unreachable or refuses credentials | > threshold | back |
| `action_open_min` | age of the oldest open ALO action (min) | > threshold | ≤ 90 % of it |

and in every case the value has then stayed back inside for ``clear_after_s``.

The monitor's :class:`AlertHistory` keeps what was raised and cleared today, with times, and
since when each active alert has been firing (the alerts list, ``a``).

¹ Counted where agents are known: contacts waiting in queues of a source with no agent roster
(Evo reports sessions only) are not set against CCAI's available agents.

No rule fires before what its figure is computed from has loaded once (``loaded``): a service
level computed from the first page of contacts is not the floor's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from ccmon.domain import AgentState, Collection
from ccmon.domain.policy import AlertPolicy, AlertRule
from ccmon.engine.health import Health, SourceHealth
from ccmon.engine.metrics import FloorMetrics
from ccmon.text import duration, percent, plural


@dataclass(frozen=True, slots=True)
class AlertEvent:
    name: str
    state: Literal["raised", "cleared"]
    value: float | None
    threshold: float
    message: str


@dataclass(frozen=True, slots=True)
class _Rule:
    name: AlertRule
    value: Callable[[FloorMetrics, datetime], float | None]
    """The figure the threshold applies to, from the metrics at a moment; None: not known
    (the rule changes nothing then)."""
    above: bool
    threshold: float
    clear_at: float
    describe: Callable[[float], str]
    needs: tuple[Collection, ...]
    """What the figure is computed from: the rule waits until all of it has loaded once."""


@dataclass(frozen=True, slots=True)
class AlertEntry:
    at: datetime
    event: AlertEvent


class AlertHistory:
    """Raised and cleared events of the current day (local time of the floor's clock), oldest
    first, and since when each active alert has been firing. At most ``limit`` are kept."""

    def __init__(self, limit: int = 1000) -> None:
        self._entries: deque[AlertEntry] = deque(maxlen=limit)
        self.since: dict[str, datetime] = {}
        """When each alert that is active now was raised."""

    def record(self, events: Iterable[AlertEvent], at: datetime) -> None:
        for event in events:
            self._entries.append(AlertEntry(at, event))
            if event.state == "raised":
                self.since[event.name] = at
            else:
                self.since.pop(event.name, None)
        today = _day(at)
        while self._entries and _day(self._entries[0].at) != today:
            self._entries.popleft()

    def today(self) -> list[AlertEntry]:
        return list(self._entries)


def _day(moment: datetime) -> date:
    return moment.astimezone().date()


def _longest_wait_s(metrics: FloorMetrics, now: datetime) -> float:
    longest = metrics.longest_wait_at(now)
    return longest if longest is not None else 0.0


def _available(metrics: FloorMetrics, now: datetime) -> float | None:
    """Nobody available is only a problem while someone waits for agents we can see."""
    available = metrics.agents_by_state[AgentState.AVAILABLE]
    return float(available) if metrics.waiting_rostered else None


def _open_action_min(metrics: FloorMetrics, now: datetime) -> float:
    open_s = metrics.oldest_open_action_s
    return open_s / 60 if open_s is not None else 0.0


class AlertMonitor:
    """Feed it metrics and health as they come; it returns what was raised or cleared."""

    def __init__(self, settings: AlertPolicy | None = None) -> None:
        self.settings = settings or AlertPolicy()
        self.active: dict[str, AlertEvent] = {}
        self._down_since: dict[str, float] = {}
        self._back_since: dict[str, float] = {}
        self.history = AlertHistory()
        self._rostered = 0
        """Contacts waiting where agents are known, for the "available" rule's text."""

    def _rules(self) -> list[_Rule]:
        s = self.settings
        agents, queues, contacts = Collection.AGENTS, Collection.QUEUES, Collection.INTERACTIONS
        rules = [
            _Rule(
                "longest_wait_s",
                _longest_wait_s,
                True,
                s.longest_wait_s,
                s.longest_wait_s * 0.8,
                lambda v: (
                    f"a contact has waited {duration(v)} (alert above {duration(s.longest_wait_s)})"
                ),
                (queues,),
            ),
            _Rule(
                "sl_below_pct",
                lambda m, _: m.sl_pct,
                False,
                s.sl_below_pct,
                s.sl_below_pct + 2.0,
                lambda v: f"service level {percent(v)} (target {s.sl_below_pct:g}%)",
                (contacts,),
            ),
            _Rule(
                "waiting_above",
                lambda m, _: float(m.waiting),
                True,
                s.waiting_above,
                s.waiting_above * 0.8,
                lambda v: f"{plural(v, 'contact')} waiting (alert above {s.waiting_above})",
                (queues,),
            ),
            _Rule(
                "available_below",
                _available,
                False,
                s.available_below,
                s.available_below,
                lambda v: (
                    f"{plural(v, 'agent')} available while {plural(self._rostered, 'contact')} "
                    "wait in queues with an agent roster"
                ),
                (agents, queues),
            ),
            _Rule(
                "action_open_min",
                _open_action_min,
                True,
                s.action_open_min,
                s.action_open_min * 0.9,
                lambda v: (
                    f"an ALO action has been open {v:.0f} min (alert above {s.action_open_min:g})"
                ),
                (Collection.ACTIONS,),
            ),
            _Rule(
                "asa_above_s",
                lambda m, _: m.stats.asa_s,
                True,
                s.asa_above_s,
                s.asa_above_s * 0.8,
                lambda v: (
                    f"average speed of answer {duration(v)} (alert above {duration(s.asa_above_s)})"
                ),
                (contacts,),
            ),
            _Rule(
                "abandon_above_pct",
                lambda m, _: m.stats.abandon_pct,
                True,
                s.abandon_above_pct,
                s.abandon_above_pct * 0.8,
                lambda v: (
                    f"{percent(v)} of contacts abandoned (alert above {s.abandon_above_pct:g}%)"
                ),
                (contacts,),
            ),
        ]
        return [rule for rule in rules if rule.name not in s.off]

    def evaluate(
        self,
        metrics: FloorMetrics | None,
        health: Iterable[SourceHealth],
        *,
        now: datetime,
        loaded: frozenset[Collection] | None = None,
    ) -> list[AlertEvent]:
        """``now``: the floor's time (the recorded one in a replay); how long a value has
        been back inside, or a source down, is measured on it.

        ``loaded``: the collections whose every feed has answered (or failed) once; None
        for all. A rule whose figure needs more is not evaluated yet: it would be a figure
        from part of the data (the first page of contacts, one source of three)."""
        at_s = now.timestamp()
        events: list[AlertEvent] = []
        if metrics is not None:
            self._rostered = metrics.waiting_rostered
            for rule in self._rules():
                if loaded is not None and not loaded.issuperset(rule.needs):
                    continue
                event = self._step(rule.name, rule.value(metrics, now), rule, at_s)
                if event is not None:
                    events.append(event)
        if "source_down_s" not in self.settings.off:
            events += self._sources(health, at_s)
        self.history.record(events, now)
        return events

    def _step(self, name: str, value: float | None, rule: _Rule, at_s: float) -> AlertEvent | None:
        firing = name in self.active
        if value is None:
            if firing and name == "available_below":  # nobody waits any more
                return self._clear_held(
                    name, value, rule.threshold, "contacts no longer waiting", at_s
                )
            return None
        beyond = value > rule.threshold if rule.above else value < rule.threshold
        back = value <= rule.clear_at if rule.above else value >= rule.clear_at
        if not firing and beyond:
            event = AlertEvent(name, "raised", value, rule.threshold, rule.describe(value))
            self.active[name] = event
            return event
        if firing:  # what is shown of an active alert says its value now, not at its raise
            self.active[name] = replace(
                self.active[name], value=value, message=rule.describe(value)
            )
            if back:
                return self._clear_held(name, value, rule.threshold, rule.describe(value), at_s)
        self._back_since.pop(name, None)
        return None

    def _clear_held(
        self, name: str, value: float | None, threshold: float, text: str, at_s: float
    ) -> AlertEvent | None:
        """Clear ``name`` once it has been back inside for ``clear_after_s``."""
        since = self._back_since.setdefault(name, at_s)
        if at_s - since < self.settings.clear_after_s:
            return None
        del self._back_since[name]
        del self.active[name]
        return AlertEvent(name, "cleared", value, threshold, f"cleared: {text}")

    def _sources(self, health: Iterable[SourceHealth], at_s: float) -> list[AlertEvent]:
        events = []
        limit = self.settings.source_down_s
        for h in health:
            name = f"source_down_s:{h.source}"
            down = h.health in (Health.AUTH_FAILED, Health.UNREACHABLE)
            if down:
                since = self._down_since.setdefault(h.source, at_s)
                if name not in self.active and at_s - since > limit:
                    event = AlertEvent(
                        name,
                        "raised",
                        at_s - since,
                        limit,
                        f"{h.source} {h.health.value} for {duration(at_s - since)}: "
                        f"{h.last_error or 'no data'}",
                    )
                    self.active[name] = event
                    events.append(event)
            else:
                self._down_since.pop(h.source, None)
                if name in self.active:
                    cleared = self._clear_held(name, 0.0, limit, f"{h.source} is back", at_s)
                    if cleared is not None:
                        events.append(cleared)
                continue
            self._back_since.pop(name, None)
        return events
