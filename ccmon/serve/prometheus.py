"""``/metrics``: the floor in Prometheus' text format, read from the floor at each scrape.

Names follow Prometheus' conventions: the unit in the name (``_seconds``, ``_ratio``), counters
end in ``_total``, one metric per meaning with labels for source, queue and state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ccmon.domain import AgentState
from ccmon.engine.floor import Floor
from ccmon.engine.health import Health
from ccmon.engine.metrics import queue_wait
from ccmon.ui.options import UiOptions

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True, slots=True)
class ServeFigures:
    clients: int
    dropped: int
    requests: dict[tuple[str, int], int]


def _ratio(pct: float | None) -> float | None:
    return None if pct is None else pct / 100.0


class FloorCollector(Collector):
    def __init__(
        self, floor: Floor, options: UiOptions, serve_figures: Callable[[], ServeFigures]
    ) -> None:
        self.floor = floor
        self.options = options
        self.serve_figures = serve_figures

    def collect(self) -> Iterator[Metric]:
        floor = self.floor
        metrics = floor.metrics(self.options.policy)
        now = datetime.fromtimestamp(self.options.wall(), UTC)
        qlabels = ["source", "queue", "channel"]
        waiting = GaugeMetricFamily(
            "ccmon_queue_waiting_contacts", "Contacts waiting in the queue now.", labels=qlabels
        )
        longest = GaugeMetricFamily(
            "ccmon_queue_longest_wait_seconds",
            "How long the queue's longest-waiting contact has waited (0: nobody waits).",
            labels=qlabels,
        )
        sl = GaugeMetricFamily(
            "ccmon_queue_service_level_ratio",
            "Service level of the queue today, 0-1, as ccmon computes it (the configured "
            "policy); absent without answered or abandoned contacts.",
            labels=qlabels,
        )
        vendor_sl = GaugeMetricFamily(
            "ccmon_queue_vendor_service_level_ratio",
            "Service level of the queue, 0-1, as the vendor reports it.",
            labels=qlabels,
        )
        for q in metrics.queues.values():
            labels = [q.queue.source, q.queue.name, q.queue.channel]
            waiting.add_metric(labels, q.queue.in_queue)
            longest.add_metric(labels, queue_wait(q.queue, now) or 0.0)
            if (value := _ratio(q.sl_pct)) is not None:
                sl.add_metric(labels, value)
            if (value := _ratio(q.vendor_sl_pct)) is not None:
                vendor_sl.add_metric(labels, value)
        yield from (waiting, longest, sl, vendor_sl)

        yield GaugeMetricFamily(
            "ccmon_waiting_contacts", "Contacts waiting, every queue.", value=metrics.waiting
        )
        yield GaugeMetricFamily(
            "ccmon_longest_wait_seconds",
            "The longest current wait of any queue (0: nobody waits).",
            value=metrics.longest_wait_at(now) or 0.0,
        )
        floor_sl = GaugeMetricFamily(
            "ccmon_service_level_ratio",
            "Service level today, every queue, 0-1, as ccmon computes it.",
        )
        if (value := _ratio(metrics.sl_pct)) is not None:
            floor_sl.add_metric([], value)
        yield floor_sl

        agents = GaugeMetricFamily("ccmon_agents", "Agents by normalised state.", labels=["state"])
        for state in AgentState:
            agents.add_metric([state.value], metrics.agents_by_state[state])
        yield agents

        up = GaugeMetricFamily(
            "ccmon_source_up", "1 when the source answers (health ok), else 0.", labels=["source"]
        )
        health = GaugeMetricFamily(
            "ccmon_source_health",
            "The source's health in words: 1 for the state it is in, 0 for the others.",
            labels=["source", "health"],
        )
        age = GaugeMetricFamily(
            "ccmon_source_data_age_seconds",
            "Age of the source's most urgent data (absent before the first read).",
            labels=["source"],
        )
        requests = CounterMetricFamily(
            "ccmon_source_requests",
            "Requests sent to the source's API since start.",
            labels=["source"],
        )
        limited = CounterMetricFamily(
            "ccmon_source_rate_limited",
            "Answers 429 (rate limited) from the source's API since start.",
            labels=["source"],
        )
        for h in floor.health():
            up.add_metric([h.source], 1.0 if h.health is Health.OK else 0.0)
            for word in Health:
                health.add_metric([h.source, word.value], 1.0 if h.health is word else 0.0)
            if h.age_s is not None:
                age.add_metric([h.source], h.age_s)
            requests.add_metric([h.source], h.requests)
            limited.add_metric([h.source], h.rate_limited)
        yield from (up, health, age, requests, limited)

        figures = self.serve_figures()
        yield GaugeMetricFamily(
            "ccmon_serve_event_clients",
            "Clients following /api/events and the wallboard now.",
            value=figures.clients,
        )
        yield CounterMetricFamily(
            "ccmon_serve_dropped_clients",
            "Event clients dropped for falling behind since start.",
            value=figures.dropped,
        )
        answered = CounterMetricFamily(
            "ccmon_serve_http_requests",
            "Requests to ccmon serve by endpoint and status code.",
            labels=["path", "code"],
        )
        for (path, code), n in sorted(figures.requests.items()):
            answered.add_metric([path, str(code)], n)
        yield answered


def registry(collector: FloorCollector) -> CollectorRegistry:
    """A registry of ccmon's own (not the process-wide default one)."""
    own = CollectorRegistry(auto_describe=False)
    own.register(collector)
    return own


def exposition(own: CollectorRegistry) -> bytes:
    return generate_latest(own)
