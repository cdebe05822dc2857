"""The header line: ccmon, version, DEMO and period on the left; the newest alert in the
middle; the data's age and the clock on the right. A narrow screen drops the long words
first, never the clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from ccmon import __version__
from ccmon.ui import format as fmt

ALERT_ROOM = 30
"""Cells kept for the alert at most when choosing the left part: enough to read what it is
about."""


def header_line(
    width: int,
    *,
    now: float,
    ages: Sequence[float],
    alert: str = "",
    period: str | None = None,
    demo: bool = False,
) -> Text:
    """The line in ``width`` cells at wall time ``now``; ``ages``: each source's data age in
    seconds; ``alert``: the alert words (:meth:`AlertEffects.words`), "" for none."""
    right = (
        f"data {fmt.duration(max(ages))} old" if ages else "no data yet"
    ) + f" · {fmt.clock(datetime.fromtimestamp(now, UTC))}"
    periods = [f"period {period}"] if period is not None else []
    shown_demo = ["DEMO"] if demo else []
    lefts = [
        ["ccmon", __version__, *(["DEMO (simulated contact center)"] if demo else [])],
        ["ccmon", __version__, *shown_demo],
        ["ccmon", *shown_demo],
    ]
    reserve = min(cell_len(alert) + 3, ALERT_ROOM) if alert else 1
    candidates = [" · ".join([*parts, *extra]) for parts in lefts for extra in (periods, [])]
    chosen = next(
        (c for c in candidates if cell_len(c) + reserve + cell_len(right) <= width),
        candidates[-1],
    )
    room = width - cell_len(chosen) - cell_len(right) - 4
    middle = ""
    if alert and room > 6:
        if cell_len(alert) > room:
            alert = set_cell_size(alert, room - 1) + "…"
        middle = "   " + alert
    gap = max(1, width - cell_len(chosen) - cell_len(middle) - cell_len(right))
    title = Text(chosen)
    title.append(middle, style="bold")
    title.append(" " * gap + right)
    return title
