"""Trends from the history's minute samples: a sparkline that shows missing samples as gaps,
never as zero, and the wallboard's arrow ("is it getting better or worse").

Textual's ``Sparkline`` takes numbers only (a ``None`` breaks its min/max), so a minute
without a sample would have to become a value; here it stays a blank cell. The scale is the
series' own lowest to highest value; the lowest value is the lowest bar (``▁``), so a zero is
a bar and only a gap is blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from ccmon.text import duration

BARS = "▁▂▃▄▅▆▇█"
GAP = " "
FIGURES = {
    "waiting": "waiting",
    "longest": "longest_wait_s",
    "sl": "sl_pct",
    "available": "available",
    "busy": "on_contact",
    "wrap": "wrap_up",
    "away": "away",
}
"""KPI tile id → the history sample's figure that is its trend."""
ARROW_AGO_MIN = 15
"""The wallboard's arrow compares now with this many minutes ago."""
ARROW_SPAN_MIN = 5
"""Each side of the comparison is the mean of this many minutes, so one busy minute does not
turn the arrow."""
ARROW_MINUTES = ARROW_AGO_MIN + ARROW_SPAN_MIN
"""The minutes of samples an arrow needs."""


@dataclass(frozen=True, slots=True)
class Steady:
    """Below ``within`` a change is no change; ``unit`` formats the change."""

    within: float
    unit: str = ""


STEADY = {
    "sl_pct": Steady(1.0, " PTS"),
    "waiting": Steady(0.5),
    "longest_wait_s": Steady(5.0, "s"),
    "available": Steady(0.5),
}
"""The figures the wallboard's tiles draw an arrow for."""


def buckets(values: Sequence[float | None], width: int) -> list[float | None]:
    """``values`` in ``width`` cells (oldest first): each cell the highest of its minutes,
    None when none of them has a value. Fewer values than cells: one cell each, at the
    right (the newest minute last), blank cells in front."""
    if width <= 0:
        return []
    if len(values) <= width:
        return [None] * (width - len(values)) + list(values)
    out: list[float | None] = []
    for cell in range(width):
        part = values[cell * len(values) // width : (cell + 1) * len(values) // width]
        known = [v for v in part if v is not None]
        out.append(max(known) if known else None)
    return out


def sparkline(values: Sequence[float | None], width: int) -> str:
    """``width`` cells of bars; blank where there is no sample."""
    cells = buckets(values, width)
    known = [v for v in cells if v is not None]
    if not known:
        return GAP * max(0, width)
    low, high = min(known), max(known)
    extent = high - low
    top = len(BARS) - 1
    return "".join(
        GAP if v is None else BARS[round((v - low) / extent * top) if extent else 0] for v in cells
    )


def arrow(values: Sequence[float | None], figure: str) -> str:
    """``▲ +4 IN 15 MIN``, ``▼ -1:05 IN 15 MIN`` or ``▶ STEADY IN 15 MIN``: the mean of the
    last ``ARROW_SPAN_MIN`` minutes against the same span ``ARROW_AGO_MIN`` minutes before;
    ``""`` without a sample on either side (a gap is no trend, never "steady"). ``values``
    is the figure's last ``ARROW_MINUTES`` minutes, oldest first."""
    rule = STEADY.get(figure)
    if rule is None or len(values) < ARROW_MINUTES:
        return ""
    values = values[-ARROW_MINUTES:]
    then = [v for v in values[:ARROW_SPAN_MIN] if v is not None]
    now = [v for v in values[-ARROW_SPAN_MIN:] if v is not None]
    if not then or not now:
        return ""
    change = fmean(now) - fmean(then)
    when = f"IN {ARROW_AGO_MIN} MIN"
    if abs(change) < rule.within:
        return f"▶ STEADY {when}"
    sign = "+" if change > 0 else "-"
    size = duration(abs(change)) if rule.unit == "s" else f"{abs(change):.0f}{rule.unit}"
    return f"{'▲' if change > 0 else '▼'} {sign}{size} {when}"
