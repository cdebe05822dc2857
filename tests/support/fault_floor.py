"""A CcmonApp against the simulator with settings fast enough to watch faults come and go.

Production defaults poll live feeds every 2.5 s, retry four times over several seconds and
back off for up to five minutes; here the same machinery runs on a compressed timescale
(short intervals, a short timeout, quick retries, ``max_backoff_s=2``) so that detection
and recovery take a second or two each. The request budget is real: the simulator enforces
the same rate the client is configured for, and every request it saw is in its log.

Every source talks to ``<vendor>.ccmon-test.invalid``. :class:`Resolver` routes those names
to the simulator's loopback listeners unless a name is "broken", in which case the request
goes out with the ``.invalid`` host unchanged and fails in the system resolver: a real DNS
failure (RFC 6761 guarantees ``.invalid`` never resolves), and repairable like a real one.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from ccmon.config.load import load_settings
from ccmon.domain import Collection
from ccmon.engine.engine import Engine
from ccmon.engine.health import SourceHealth
from ccmon.http import RetryPolicy
from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from ccmon.sim.serve.request_log import RequestRecord
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.record_table import GONE
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.floors import live_engine, store_of
from tests.support.sim import running_sim, sim_now

VENDORS = ("ccai", "alo", "evo")
BUDGET_PER_S = 20.0
"""Requests per second each source may send; the simulator enforces exactly this."""
TIMEOUT_S = 0.4
"""Client timeout per request; the ``slow`` fault answers after SLOW_S."""
SLOW_S = 2.0
MAX_BACKOFF_S = 2.0
FAST_RETRY = RetryPolicy(
    attempts=2,
    total_timeout_s=3.0,
    wait_initial_s=0.05,
    wait_max_s=0.2,
    wait_jitter_s=0.05,
    rate_limited_s=3.0,
)
INTERVALS: dict[str, dict[str, float]] = {
    "ccai": {
        "agent_status": 0.5,
        "queue_status": 0.5,
        "calls": 3.0,
        "chats": 3.0,
        "sla_call": 5.0,
        "sla_chat": 5.0,
        "group_sla_call": 5.0,
        "group_sla_chat": 5.0,
    },
    "alo": {"actions": 0.5},
    "evo": {"sessions": 0.5},
}
FAKE_DOMAIN = "ccmon-test.invalid"


def fake_host(vendor: str) -> str:
    return f"{vendor}.{FAKE_DOMAIN}"


@contextmanager
def fast_sim(**overrides: Any) -> Iterator[SimServer]:
    """A small floor on today's date at 5x speed, every vendor limited to the budget.

    The server forgives one request of arrival jitter (burst 2): the apps under test share
    one event loop with each other, so a request can leave late and the next on time. The
    budget itself is checked from the log (:func:`traffic`).
    """
    limit = RateLimit(BUDGET_PER_S, 2)
    config: dict[str, Any] = {
        "start": None,
        "speed": 5.0,
        "agents": 12,
        "queues": 6,
        "ccai_rate": limit,
        "alo_rate": limit,
        "evo_rate": limit,
        **overrides,
    }
    with running_sim(**config) as sim:
        yield sim


class Resolver(httpx.AsyncBaseTransport):
    """Routes ``<vendor>.ccmon-test.invalid`` to the simulator; :meth:`break_name` lets the
    system resolver fail on it instead."""

    def __init__(self, sim: SimServer) -> None:
        self._ports = {fake_host(v): sim.port(v) for v in VENDORS}
        self._inner = httpx.AsyncHTTPTransport()
        self.broken: set[str] = set()

    def break_name(self, vendor: str) -> None:
        self.broken.add(fake_host(vendor))

    def repair(self, vendor: str) -> None:
        self.broken.discard(fake_host(vendor))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self._ports and host not in self.broken:
            request.url = request.url.copy_with(host="127.0.0.1", port=self._ports[host])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def sim_env(sim: SimServer) -> dict[str, str]:
    """CCMON_* settings: the simulator under fake host names, the fast timings."""
    env = {"CCMON_CONFIG": os.devnull}
    for name, value in sim.env.items():
        env[name] = value
    for vendor in VENDORS:
        url = httpx.URL(sim.base_url(vendor))
        env[f"CCMON_{vendor.upper()}_BASE_URL"] = str(url.copy_with(host=fake_host(vendor)))
        env[f"CCMON_{vendor.upper()}_RATE"] = f"{BUDGET_PER_S:g}"
        env[f"CCMON_{vendor.upper()}_TIMEOUT"] = f"{TIMEOUT_S:g}"
    return env


def build_app(sim: SimServer, resolver: Resolver, **env: str) -> CcmonApp:
    from ccmon.commands.registry import build_sources

    settings = load_settings(
        env={**sim_env(sim), **env},
        overrides={vendor: {"intervals": INTERVALS[vendor]} for vendor in VENDORS},
    )
    now = sim_now(sim)
    # The simulated accounts allow BUDGET_PER_S: a 429 storm is a fault, not a wrong setting.
    allowed = dict.fromkeys(VENDORS, BUDGET_PER_S)
    sources = build_sources(
        settings, transport=resolver, retry=FAST_RETRY, now=now, documented_rates=allowed
    )
    engine = Engine(sources, max_backoff_s=MAX_BACKOFF_S, now=now)
    options = UiOptions(tick_s=0.2, wall=lambda: now().timestamp())
    return CcmonApp(engine, options)


# -- reading the screen ------------------------------------------------------------------------
def status_text(app: CcmonApp) -> str:
    """Both lines of the status bar, as the supervisor reads them."""
    return str(app.query_one(StatusBar).render())


def health_of(app: CcmonApp, vendor: str) -> SourceHealth:
    [health] = [h for h in app.engine.health() if h.source == vendor]
    return health


def rows_of(app: CcmonApp, vendor: str) -> dict[str, Any]:
    """Every record of ``vendor`` on screen, per pane, with its marker: what must not be lost
    or altered while the vendor fails. The SLA pane is left out: ccmon's own figure there
    is computed over a time window that slides whether or not the source answers."""
    shown: dict[str, Any] = {}
    for pane in app.panes:
        if pane.id == "sla":
            continue
        table = pane.table
        for record in table.ordered_records():
            if getattr(record, "source", None) == vendor:
                shown[f"{pane.id}/{record.key}"] = (record, table.marker(record.key))
    return shown


PANE_DATA = {
    "agents": Collection.AGENTS,
    "queues": Collection.QUEUES,
    "interactions": Collection.INTERACTIONS,
    "board": Collection.ACTIONS,
}


def screen_vs_data(app: CcmonApp, vendor: str) -> list[str]:
    """Where the vendor's rows on screen differ from the records the engine holds for it."""
    problems: list[str] = []
    for pane in app.panes:
        collection = PANE_DATA.get(pane.id or "")
        if collection is None:
            continue
        shown = {r.key: r for r in pane.table.ordered_records() if r.source == vendor}
        held = {r.key: r for r in store_of(app).records(collection) if r.source == vendor}
        if shown != held:
            extra, missing = shown.keys() - held.keys(), held.keys() - shown.keys()
            differ = [k for k in shown.keys() & held.keys() if shown[k] != held[k]]
            problems.append(
                f"{pane.id}: {len(extra)} extra, {len(missing)} missing, {len(differ)} differ"
            )
    return problems


def tombstones_of(app: CcmonApp, vendor: str) -> list[str]:
    return [key for key, (_, marker) in rows_of(app, vendor).items() if marker == GONE]


def live_polls(app: CcmonApp, vendor: str) -> dict[str, float | None]:
    """``last_ok`` of the vendor's most urgent feeds."""
    states = [s for s in live_engine(app).feed_states() if s.feed.source == vendor]
    urgent = min(s.feed.tier for s in states)
    return {s.feed.id: s.last_ok for s in states if s.feed.tier == urgent}


# -- reading the simulator's log ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Traffic:
    """What one vendor's listener saw in a time window."""

    requests: int
    rate_limited: int
    busiest_second: int
    statuses: dict[int, int]


def traffic(records: Sequence[RequestRecord], start: float, end: float) -> Traffic:
    window = [r for r in records if start <= r.monotonic_s <= end]
    arrivals = sorted(r.monotonic_s for r in window)
    busiest = max(
        (bisect.bisect_left(arrivals, t + 1.0) - i for i, t in enumerate(arrivals)), default=0
    )
    statuses: dict[int, int] = {}
    for r in window:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    return Traffic(len(window), sum(r.rate_limited for r in window), busiest, statuses)


def pairwise_gaps(records: Sequence[RequestRecord]) -> list[float]:
    times = sorted(r.monotonic_s for r in records)
    return [b - a for a, b in itertools.pairwise(times)]
