"""How a forecast reads wherever it is shown (queue pane, detail view, wallboard): marked
with :data:`MARK` so that, even without colour, it is never taken for a measured figure.
No Textual here: the browser wallboard uses it too."""

from __future__ import annotations

from collections.abc import Iterable

from ccmon.engine.forecast import HISTORY, TODAY, QueueForecast
from ccmon.ui import format as fmt

MARK = "~"
"""In front of every forecast figure: an estimate, not a measurement."""
UNSTABLE = "unstable"
"""Fewer agents than Erlangs: no service level exists to forecast, the queue grows."""
SHORT = "!"
"""After the agents needed when they are more than the queue has now."""
MODEL_NAMES = {"erlang_c": "Erlang C", "erlang_a": "Erlang A"}
ASSUMPTIONS = "Poisson arrivals, exponential handle times, no multi-skill routing"


def unstable(forecast: QueueForecast) -> bool:
    return forecast.reason is not None and forecast.reason.startswith("unstable")


def sl_next(forecast: QueueForecast | None) -> str:
    """The forecast service level for the rest of the interval: ``~88.8%``."""
    if forecast is None:
        return fmt.DASH
    if unstable(forecast):
        return UNSTABLE
    return fmt.DASH if forecast.sl_pct is None else MARK + fmt.percent(forecast.sl_pct)


def need(forecast: QueueForecast | None) -> str:
    """The agents needed for the target: ``~14``, ``~14!`` when more than the queue has."""
    if forecast is None or forecast.agents_needed is None:
        return fmt.DASH
    return f"{MARK}{forecast.agents_needed}{SHORT if forecast.short else ''}"


def agents_short(forecasts: Iterable[QueueForecast]) -> int | None:
    """Over the queues with a forecast, the agents missing to reach target (None: no queue
    has one)."""
    gaps = [
        max(0, f.agents_needed - f.agents)
        for f in forecasts
        if f.agents_needed is not None and f.agents is not None
    ]
    return sum(gaps) if gaps else None


def basis(forecast: QueueForecast) -> str:
    """Where the arrivals and AHT come from: ``history, last 30 min`` or ``feeds, last 60
    min``."""
    where = "history" if forecast.basis == HISTORY else "feeds"
    return f"{where}, last {forecast.window_min} min"


def aht_text(forecast: QueueForecast) -> str:
    """The AHT, with ``today's`` when the window had too few handled contacts."""
    today = " today's" if forecast.aht_basis == TODAY else ""
    return f"{fmt.duration(forecast.aht_s)}{today}"


def inputs_line(forecast: QueueForecast) -> str:
    """``15.0/h, AHT 5:18 (history, last 30 min)``: the load and where it comes from."""
    arrivals = (
        fmt.DASH if forecast.arrivals_per_hour is None else f"{forecast.arrivals_per_hour:.1f}/h"
    )
    return f"{arrivals}, AHT {aht_text(forecast)} ({basis(forecast)})"


def heading(forecast: QueueForecast) -> str:
    model = MODEL_NAMES.get(forecast.model or "erlang_c", "Erlang C")
    extra = ", exponential patience" if forecast.model == "erlang_a" else ""
    return f"Forecast ({model}, assumes {ASSUMPTIONS}{extra})"


def detail_lines(forecast: QueueForecast, channel: str) -> str:
    """The inputs, then the results or why there are none."""
    patience = (
        f" · patience {fmt.duration(forecast.patience_s)}"
        if forecast.patience_s is not None
        else ""
    )
    inputs = (
        f"inputs: arrivals {inputs_line(forecast)}"
        f" · agents {fmt.count(forecast.agents)} (available or on a {channel})"
        f" · model {MODEL_NAMES.get(forecast.model or '', fmt.DASH)}{patience}"
    )
    target = f"SL ≥{forecast.target_pct:g}% within {forecast.threshold_s}s"
    needed = f"need {need(forecast)} for {target}"
    if forecast.reason is not None:
        results = f"no forecast: {forecast.reason}"
        if forecast.agents_needed is not None:
            results += f" · {needed}"
    else:
        p_wait = fmt.DASH if forecast.p_wait is None else f"{MARK}{100 * forecast.p_wait:.1f}%"
        results = (
            f"forecast: P(wait) {p_wait} · SL {sl_next(forecast)}"
            f" · ASA {MARK}{fmt.duration(forecast.asa_s)} · {needed}"
        )
    return f"{inputs}\n{results}"


def floor_line(forecasts: Iterable[QueueForecast]) -> str:
    """The floor in one line: ``Forecast: ~3 agents short on 2 of 14 queues (…)``."""
    values = list(forecasts)
    total = agents_short(values)
    if total is None:
        return f"Forecast: {fmt.DASH} no queue has one (select a queue for why)"
    with_one = sum(1 for f in values if f.agents_needed is not None)
    short = sum(1 for f in values if f.short)
    return (
        f"Forecast: {MARK}{total} agents short on {short} of {with_one} queues with a forecast"
        f" (each queue's agents counted on every queue they serve; {ASSUMPTIONS})"
    )


def queue_line(forecast: QueueForecast | None) -> str:
    """One queue: ``Forecast: SL next ~72.0% · ASA ~35s · need ~14! (has 12) · 96.0/h …``,
    or ``Forecast: — <why>``."""
    if forecast is None:
        return f"Forecast: {fmt.DASH} the queue is not on the floor now"
    if forecast.reason is not None:
        return f"Forecast: {fmt.DASH} {forecast.reason} · {inputs_line(forecast)}"
    return (
        f"Forecast: SL next {sl_next(forecast)} · ASA {MARK}{fmt.duration(forecast.asa_s)}"
        f" · need {need(forecast)} (has {fmt.count(forecast.agents)})"
        f" · {inputs_line(forecast)}"
    )
