"""Snapshot documents: JSON (a stable contract, see README) and plain-text tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from rich.cells import cell_len, set_cell_size

from ccmon.domain import Action, Agent, Collection, Interaction, Queue, Record, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.domain.serialize import iso, record_dict
from ccmon.engine.forecast import QueueForecast, forecast_floor
from ccmon.engine.metrics import FloorMetrics, compute, floor_figures
from ccmon.snapshot.collect import Snapshot, SourceReport

MAX_CELL = 40


def _sort_key(record: Record) -> tuple[Any, ...]:
    if isinstance(record, Interaction):
        newest = record.created_at.timestamp() if record.created_at else 0.0
        return (-newest, record.key)
    return (record.key,)


def sorted_records(snapshot: Snapshot, collection: Collection) -> list[Record]:
    return sorted(snapshot.collections[collection], key=_sort_key)


def source_dict(report: SourceReport) -> dict[str, Any]:
    counters = report.counters
    return {
        "status": report.status,
        "error": report.error,
        "error_kind": report.error_kind.value if report.error_kind else None,
        "requests": counters.get("requests", 0),
        "responses": {
            "2xx": counters.get("status_2xx", 0),
            "4xx": counters.get("status_4xx", 0),
            "5xx": counters.get("status_5xx", 0),
        },
        "rate_limited": counters.get("rate_limited", 0),
        "retries": counters.get("retries", 0),
        "bytes": counters.get("bytes_received", 0),
        "last_latency_s": counters.get("last_latency_s"),
        "skipped_records": report.skipped_records,
        "degraded_fields": report.degraded_fields,
        "failed_feeds": report.failed_feeds,
    }


def snapshot_metrics(snapshot: Snapshot, policy: SlaPolicy | None = None) -> FloorMetrics:
    """The floor's metrics over a snapshot's records, at its ``generated_at``."""
    of = snapshot.collections
    return compute(
        now=snapshot.generated_at,
        agents=[r for r in of[Collection.AGENTS] if isinstance(r, Agent)],
        queues=[r for r in of[Collection.QUEUES] if isinstance(r, Queue)],
        interactions=[r for r in of[Collection.INTERACTIONS] if isinstance(r, Interaction)],
        sla=[r for r in of[Collection.SLA] if isinstance(r, Sla)],
        actions=[r for r in of[Collection.ACTIONS] if isinstance(r, Action)],
        policy=policy,
    )


def floor_dict(snapshot: Snapshot, policy: SlaPolicy | None = None) -> dict[str, Any]:
    """The figures the live screen's KPI strip shows, computed as it computes them."""
    return floor_figures(snapshot_metrics(snapshot, policy), snapshot.generated_at)


def forecast_dict(forecast: QueueForecast) -> dict[str, Any]:
    """A queue's ``forecast`` object: its inputs, then the results or the ``reason`` there
    are none (``agents_needed`` stays when the queue is unstable: it says how far off it is)."""
    inputs: dict[str, Any] = {
        "arrivals_per_hour": _rounded(forecast.arrivals_per_hour, 1),
        "aht_s": _rounded(forecast.aht_s, 1),
        "agents": forecast.agents,
        "threshold_s": forecast.threshold_s,
        "target_pct": forecast.target_pct,
        "window_min": forecast.window_min,
        "basis": forecast.basis,
        "aht_basis": forecast.aht_basis,
    }
    if forecast.model is not None:
        inputs["model"] = forecast.model
        inputs["agents_needed"] = forecast.agents_needed
        if forecast.patience_s is not None:
            inputs["patience_s"] = _rounded(forecast.patience_s, 1)
    if forecast.reason is not None:
        return {**inputs, "reason": forecast.reason}
    return {
        **inputs,
        "p_wait": _rounded(forecast.p_wait, 4),
        "sl_pct": _rounded(forecast.sl_pct, 1),
        "asa_s": _rounded(forecast.asa_s, 1),
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def to_document(
    snapshot: Snapshot, policy: SlaPolicy | None = None, *, forecast: bool = False
) -> dict[str, Any]:
    """The snapshot document; ``forecast`` adds each queue's ``forecast`` object."""
    document: dict[str, Any] = {
        "generated_at": iso(snapshot.generated_at),
        "sources": {name: source_dict(r) for name, r in snapshot.sources.items()},
        "floor": floor_dict(snapshot, policy),
    }
    for collection in Collection:
        document[collection.value] = [record_dict(r) for r in sorted_records(snapshot, collection)]
    if forecast:
        metrics = snapshot_metrics(snapshot, policy)
        agents = [r for r in snapshot.collections[Collection.AGENTS] if isinstance(r, Agent)]
        forecasts = forecast_floor(metrics, agents)
        queues = sorted_records(snapshot, Collection.QUEUES)
        for record, row in zip(queues, document[Collection.QUEUES.value], strict=True):
            if record.key in forecasts:
                row["forecast"] = forecast_dict(forecasts[record.key])
    return document


def render_json(
    snapshot: Snapshot, policy: SlaPolicy | None = None, *, forecast: bool = False
) -> str:
    document = to_document(snapshot, policy, forecast=forecast)
    return json.dumps(document, indent=2, ensure_ascii=False)


# -- tables --------------------------------------------------------------------------------
def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return iso(value) or "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "-"
    text = str(value)
    return set_cell_size(text, MAX_CELL - 1) + "…" if cell_len(text) > MAX_CELL else text


def table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    counted: int | None = None,
) -> str:
    """A plain-text table under ``title (N)``: N is ``counted``, else the number of rows
    (a total row is not one of the things counted)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        widths = [max(w, cell_len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(set_cell_size(v, w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [
        f"{title} ({len(rows) if counted is None else counted})",
        line(headers),
        line(["-" * w for w in widths]),
    ]
    out += [line(row) for row in cells] or ["(none)"]
    return "\n".join(out)


_Columns = tuple[tuple[str, ...], Callable[[Any], Sequence[object]]]
_TABLES: dict[Collection, _Columns] = {
    Collection.AGENTS: (
        ("SOURCE", "ID", "NAME", "STATE", "STATUS", "SINCE", "TEAM"),
        lambda a: (a.source, a.id, a.name, a.state.value, a.status, a.state_since, a.team),
    ),
    Collection.QUEUES: (
        ("SOURCE", "ID", "QUEUE", "CHANNEL", "WAITING", "LONGEST_S", "AGENTS"),
        lambda q: (
            q.source,
            q.id,
            q.name,
            q.channel,
            q.in_queue,
            q.longest_wait_s,
            len(q.agent_ids),
        ),
    ),
    Collection.SLA: (
        ("SOURCE", "SCOPE", "NAME", "CHANNEL", "LANG", "SLA_%"),
        lambda s: (s.source, s.scope, s.name, s.channel, s.lang, s.sla_pct),
    ),
    Collection.INTERACTIONS: (
        ("SOURCE", "KIND", "ID", "STATUS", "QUEUE", "AGENT", "CREATED", "WAIT_S", "DUR_S"),
        lambda i: (
            i.source,
            i.kind,
            i.id,
            i.status,
            i.queue,
            i.agent,
            i.created_at,
            i.wait_s,
            i.duration_s,
        ),
    ),
    Collection.PERIODS: (
        ("SOURCE", "ID", "NAME", "START", "END"),
        lambda p: (p.source, p.id, p.name, p.start, p.end),
    ),
    Collection.ACTIONS: (
        ("SOURCE", "PERIOD", "ID", "STATUS", "CLASSIFICATION", "ASSIGNEES", "CREATED"),
        lambda a: (
            a.source,
            a.period_id,
            a.id,
            a.status,
            a.classification,
            a.assignees,
            a.created_at,
        ),
    ),
}


def floor_table(snapshot: Snapshot, policy: SlaPolicy | None = None) -> str:
    """The ``floor`` object as a two-column table, agents by state on rows of their own."""
    figures = floor_dict(snapshot, policy)
    agents = figures.pop("agents") or {}
    rows = [(key, value) for key, value in figures.items()]
    rows += [(f"agents_{state}", n) for state, n in agents.items()]
    return table("Floor", ("FIGURE", "VALUE"), rows)


def render_table(snapshot: Snapshot, policy: SlaPolicy | None = None) -> str:
    source_rows = [
        (
            name,
            r.status,
            r.counters.get("requests", 0),
            r.counters.get("rate_limited", 0),
            r.skipped_records,
            r.degraded_fields,
        )
        for name, r in snapshot.sources.items()
    ]
    sources = table(
        "Sources",
        ("SOURCE", "STATUS", "REQUESTS", "429S", "SKIPPED_RECORDS", "IGNORED_FIELDS"),
        source_rows,
    )
    errors = [f"! {r.error}" for r in snapshot.sources.values() if r.error]
    parts = [
        f"ccmon snapshot {iso(snapshot.generated_at)}",
        floor_table(snapshot, policy),
        "\n".join([sources, *errors]),
    ]
    for collection, (headers, row) in _TABLES.items():
        records = sorted_records(snapshot, collection)
        parts.append(table(collection.value.capitalize(), headers, [row(r) for r in records]))
    return "\n\n".join(parts) + "\n"
