"""Write only the changed part of a line, not the line up to it.

Textual's partial screen update (``ChopsUpdate.render_segments``, Textual 8.2) writes each
changed widget line from the widget's left edge to the end of the change. For a table whose
"time in state" column ticks every second, that rewrote every agent's whole row up to that
column, every second: about 370 bytes a row instead of 40, most of ccmon's traffic over SSH.

:func:`install` replaces that method with one that also skips the segments left of the
change. It cuts only between segments, never inside one, so a double-width character is
never split. It is installed only for the Textual release it was written against (pinned in
pyproject.toml); another release keeps Textual's own method. ``tests/ui/test_partial_updates``
checks that both produce the same screen.
"""

from __future__ import annotations

import textual
from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate
from textual.strip import Strip

PATCHED_FOR = "8.2.8"
_original = ChopsUpdate.render_segments


def _skip_left(strip: Strip, x: int, x1: int) -> tuple[Strip, int]:
    """Drop whole segments that end at or before column ``x1``; return the rest and its x."""
    offset = 0
    for segment in strip:
        width = segment.cell_length
        if x + offset + width > x1:
            break
        offset += width
    return (strip.crop(offset) if offset else strip), x + offset


def render_segments(self: ChopsUpdate, console: Console) -> str:
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if x < x1:
                strip, x = _skip_left(strip, x, x1)
            if end > x2:
                strip = strip.crop(0, x2 - x)
            append(move_to(x, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> bool:
    """Use :func:`render_segments` if this is the Textual it was written for."""
    if textual.__version__ != PATCHED_FOR:
        return False
    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    ChopsUpdate.render_segments = _original  # type: ignore[method-assign]
