"""A sparkline that shows missing samples as gaps, never as zero.

Textual's ``Sparkline`` takes numbers only (a ``None`` breaks its min/max), so a minute
without a sample would have to become a value; here it stays a blank cell. The scale is the
series' own lowest to highest value; the lowest value is the lowest bar (``▁``), so a zero is
a bar and only a gap is blank.
"""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
GAP = " "


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
