"""Where each queue is heading: its inputs as measured, then Erlang C or A (``erlang.py``).

Inputs per queue (all stated with the result, so a supervisor can judge them), from a
:class:`QueueLoad`: the history's last :data:`HISTORY_WINDOW_MIN` minutes where the caller
has them (``loads``, by queue key: the recorder's ``loads()``), else the contacts the feeds
returned over the service-level window (``[sla] window_min``, 60 min; the feeds return the
last hour):

* **arrivals per hour**: the contacts the queue was offered in the window;
* **AHT**: the mean handle time of the window's handled contacts, or (history only) of
  today's when the window has fewer than ``[sla] min_contacts``; none when neither has;
* **agents**: those assigned to the queue (as its source reports them) who are available or
  on a contact of the queue's channel now. An agent on several queues counts on each: the
  model knows no multi-skill routing;
* **patience** (Erlang A only): abandons ÷ the time contacts spent waiting (answered ones up
  to their answer, abandoned ones until they gave up), the maximum-likelihood estimate for
  exponential patience. Erlang A is used where abandons are material (at least
  ``MATERIAL_ABANDONS`` of them and ``MATERIAL_ABANDON_PCT`` of answered + abandoned).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache, partial

from ccmon.domain import Agent, AgentState
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.erlang import Forecast, agents_needed, erlang_a, erlang_c
from ccmon.engine.metrics import ContactStats, FloorMetrics, QueueMetrics

MATERIAL_ABANDONS = 3
MATERIAL_ABANDON_PCT = 5.0
_ON_CONTACT = {"call": AgentState.IN_CALL, "chat": AgentState.IN_CHAT}
HISTORY_WINDOW_MIN = 30
"""The history's window for arrivals and AHT: shorter than the feeds' hour, so a rush shows
sooner, long enough to hold a few handled contacts on a quiet queue."""
HISTORY = "history"
FEEDS = "feeds"
WINDOW = "window"
TODAY = "today"


@dataclass(frozen=True, slots=True)
class QueueLoad:
    """One queue's load, measured over a window: what its forecast is made from."""

    stats: ContactStats
    """The contacts created in the window (arrivals, handle times, abandons, waits)."""
    window_min: int
    basis: str
    """Where the contacts come from: :data:`HISTORY` (the store) or :data:`FEEDS`."""
    day_handle_total_s: float = 0.0
    day_handle_count: int = 0
    """Today's handled contacts with a handle time (history only): the AHT fallback."""

    @property
    def arrivals_per_hour(self) -> float:
        return self.stats.offered * 60.0 / self.window_min

    def aht(self, min_contacts: int) -> tuple[float | None, str | None]:
        """The AHT and whose it is (:data:`WINDOW` or :data:`TODAY`); (None, None) when
        neither has ``min_contacts`` handled contacts."""
        wanted = max(1, min_contacts)
        if self.stats.handle_count >= wanted:
            return self.stats.aht_s, WINDOW
        if self.day_handle_count >= wanted:
            return self.day_handle_total_s / self.day_handle_count, TODAY
        return None, None


def feeds_load(queue: QueueMetrics, policy: SlaPolicy) -> QueueLoad:
    """The load the live metrics measured: the feeds' contacts over ``[sla] window_min``."""
    return QueueLoad(queue.stats, policy.window_min, FEEDS)


@dataclass(frozen=True, slots=True)
class QueueForecast:
    """The inputs, and the results or the ``reason`` there are none. ``sl_pct`` and
    ``agents_needed`` are against the configured target and threshold."""

    arrivals_per_hour: float | None
    aht_s: float | None
    agents: int | None
    threshold_s: int
    target_pct: float
    window_min: int
    """The window the arrivals and AHT were measured over."""
    basis: str = FEEDS
    """Where the window's contacts come from: :data:`HISTORY` or :data:`FEEDS`."""
    aht_basis: str | None = None
    """Whose AHT: the window's (:data:`WINDOW`) or today's (:data:`TODAY`); None: no AHT."""
    model: str | None = None
    patience_s: float | None = None
    p_wait: float | None = None
    sl_pct: float | None = None
    asa_s: float | None = None
    agents_needed: int | None = None
    reason: str | None = None
    """Why there is no forecast (missing inputs, or an unstable queue)."""

    @property
    def short(self) -> bool:
        """More agents are needed than the queue has now."""
        return (
            self.agents is not None
            and self.agents_needed is not None
            and self.agents_needed > self.agents
        )


def staffing(queue: QueueMetrics, agents: Mapping[tuple[str, str], Agent]) -> int | None:
    """Agents of the queue available or on a contact of its channel; None when its source
    reports no agents."""
    if queue.agents_logged_in is None:
        return None
    busy = _ON_CONTACT.get(queue.queue.channel)
    serving = {AgentState.AVAILABLE, *([busy] if busy else [])}
    source = queue.queue.source
    return sum(
        1
        for agent_id in queue.queue.agent_ids
        if (agent := agents.get((source, agent_id))) is not None and agent.state in serving
    )


def patience_s(stats: ContactStats) -> float | None:
    """Mean patience (s) estimated from the window's abandons with a known wait; None
    without any."""
    exposure = stats.wait_total_s + stats.abandon_wait_total_s
    if stats.abandoned_timed == 0 or exposure <= 0:
        return None
    return exposure / stats.abandoned_timed


def forecast_queue(
    queue: QueueMetrics, agents: int | None, policy: SlaPolicy, load: QueueLoad | None = None
) -> QueueForecast:
    """The queue's forecast from ``load`` (default: the feeds' window, :func:`feeds_load`)."""
    load = load or feeds_load(queue, policy)
    stats = load.stats
    arrivals = load.arrivals_per_hour
    aht, aht_basis = load.aht(policy.min_contacts)
    base = QueueForecast(
        arrivals_per_hour=arrivals,
        aht_s=aht,
        agents=agents,
        threshold_s=policy.threshold_s,
        target_pct=policy.target_pct,
        window_min=load.window_min,
        basis=load.basis,
        aht_basis=aht_basis,
    )
    if stats.offered == 0:
        return replace(base, reason=f"no contacts in the last {load.window_min} min")
    if aht is None or aht <= 0:
        has = f"has {stats.handle_count}"
        if load.basis == HISTORY:
            has += f" in {load.window_min} min, {load.day_handle_count} today"
        need = f"AHT needs {policy.min_contacts} handled contacts ({has})"
        return replace(base, reason=need)
    if agents is None:
        return replace(base, reason=f"{queue.queue.source} reports no agents for its queues")
    rate = arrivals / 3600.0
    # The store keeps no abandon waits: a history load takes the customers' patience from
    # the feeds' hour, the contacts that have them.
    patience = patience_s(stats) if stats.abandoned_timed else patience_s(queue.stats)
    use_a = (
        patience is not None
        and stats.abandoned >= MATERIAL_ABANDONS
        and (stats.abandon_pct or 0.0) >= MATERIAL_ABANDON_PCT
    )
    target = policy.target_pct / 100.0
    model = (patience or 0.0) if use_a else None
    result, needed = _solve(agents, rate, aht, policy.threshold_s, model, target)
    base = replace(
        base,
        model="erlang_a" if use_a else "erlang_c",
        patience_s=patience if use_a else None,
        agents_needed=needed,
    )
    if result is None or not result.stable:
        erlangs = rate * aht
        return replace(
            base, reason=f"unstable: {agents} agents for {erlangs:.1f} Erlangs, the queue grows"
        )
    return replace(
        base,
        p_wait=result.p_wait,
        asa_s=result.asa_s,
        sl_pct=None if result.sl is None else 100.0 * result.sl,
    )


def forecast_floor(
    metrics: FloorMetrics,
    agents: Iterable[Agent],
    loads: Mapping[str, QueueLoad] | None = None,
) -> dict[str, QueueForecast]:
    """A forecast for every queue of the floor, by queue key; a queue in ``loads`` (by the
    same keys: the history's, where it covers the window) from its load there, the others
    from the feeds' window."""
    by_id = {(agent.source, agent.id): agent for agent in agents}
    given = loads or {}
    return {
        key: forecast_queue(queue, staffing(queue, by_id), metrics.policy, given.get(key))
        for key, queue in metrics.queues.items()
    }


def _solve(
    agents: int, rate: float, aht: float, threshold: float, patience: float | None, target: float
) -> tuple[Forecast | None, int | None]:
    """The forecast for ``agents`` and the agents needed for ``target`` (Erlang A with
    ``patience``, else C). Both are cached apart: between polls a queue's load rarely
    changes while its staffing does, and the screen asks on every refresh."""
    needed = _needed(rate, aht, threshold, patience, target)
    return (_model(agents, rate, aht, threshold, patience) if agents > 0 else None), needed


@lru_cache(maxsize=8192)
def _model(
    agents: int, rate: float, aht: float, threshold: float, patience: float | None
) -> Forecast:
    if patience is None:
        return erlang_c(agents, rate, aht, threshold)
    return erlang_a(agents, rate, aht, threshold, patience)


@lru_cache(maxsize=4096)
def _needed(
    rate: float, aht: float, threshold: float, patience: float | None, target: float
) -> int | None:
    return agents_needed(
        partial(_model, rate=rate, aht=aht, threshold=threshold, patience=patience),
        start=1,
        good=lambda r: (r.sl or 0.0) >= target,
    )
