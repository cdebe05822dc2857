"""ccmon's partial screen update writes the same cells as Textual's in every changed span,
and nothing that Textual's would not have written (see ccmon/ui/partial_updates.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.cells import cell_len
from textual._compositor import ChopsUpdate
from textual.geometry import Region

from ccmon.domain import Agent, AgentState, Collection
from ccmon.engine.engine import Engine
from ccmon.ui import partial_updates
from ccmon.ui.app import CcmonApp
from tests.support.floors import store_of

TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;]*m|\n|([^\x1b\n])")


def paint(output: str) -> dict[tuple[int, int], tuple[str, str]]:
    """Cells written by ``output``: (row, column) → (character, SGR in force)."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    row = col = 0
    sgr = ""
    for match in TOKEN.finditer(output):
        text = match.group(0)
        if match.group(1):
            row, col = int(match.group(1)) - 1, int(match.group(2)) - 1
        elif text.startswith("\x1b["):
            sgr = "" if text == "\x1b[0m" else sgr + text
        elif text == "\n":
            row, col = row + 1, 0
        else:
            cells[(row, col)] = (text, sgr)
            col += cell_len(text)
    return cells


def agents(tick: int) -> list[Agent]:
    names = ["Ana Souza", "李小龍 Bruce", "Zoë 😀 Emoji", "عمر Omar", "Kofi Mensah"]
    states = list(AgentState)
    return [
        Agent(
            "ccai",
            str(i),
            name,
            states[(i + tick) % 3],
            "x",
            datetime(2026, 1, 1, tzinfo=UTC),
            "Team 日本",
        )
        for i, name in enumerate(names)
    ]


async def test_same_cells_in_every_span_and_nothing_extra() -> None:
    app = CcmonApp(Engine([]))
    async with app.run_test(size=(120, 40)) as pilot:
        compositor = app.screen._compositor
        table = app.pane("agents").table
        checked = 0
        for tick in range(6):
            store_of(app).replace(Collection.AGENTS, "ccai", agents(tick))
            app._apply_pending()
            await pilot.pause()
            _, x, width = table._layout_for(table.size.width)[3]
            table.refresh(Region(x, 1, width, 5))  # the ticking column, as each second
            table.refresh(Region(2, 2, 6, 1))  # and a span starting inside a row
            compositor.update_widgets({table})
            update = compositor.render_partial_update()
            assert isinstance(update, ChopsUpdate)
            ours = paint(partial_updates.render_segments(update, app.console))
            theirs = paint(partial_updates._original(update, app.console))
            for y, x1, x2 in update.spans:
                for column in range(x1, x2):
                    if (y, column) in theirs:
                        assert ours.get((y, column)) == theirs[(y, column)]
                        checked += 1
            assert all(theirs.get(cell) == value for cell, value in ours.items())
            assert sum(len(c[0]) for c in ours.values()) < sum(len(c[0]) for c in theirs.values())
        assert checked > 100


def test_installed_only_for_the_pinned_textual() -> None:
    import textual

    assert partial_updates.install() == (textual.__version__ == partial_updates.PATCHED_FOR)
