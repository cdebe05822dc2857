"""Hostile vendor data through the whole pipeline renders inert and aligned everywhere.

Callers, chat customers and whoever names a queue control part of what ccmon shows. Every
text field and every id of every vendor's documented example is replaced by hypothesis with
markup, escape sequences (OSC 52, titles, 8-bit C1), bidi overrides, zero-width and wide
characters, 10,000-character strings and newlines; the payloads go through ccmon's own
client, tolerant parsing and mapping (``hostile.read_everything``), then:

* every string in every domain record is one printable line of at most 256 characters;
* ``snapshot`` JSON, table and CSV output and every log line hold no control or invisible
  character, the table's columns stay aligned (measured in terminal cells), and no CSV
  cell starts like a spreadsheet formula;
* the live screen, with the records in every pane, the detail view and the status bar
  showing the vendor's hostile error message, paints only printable, full-width lines.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import threading
from collections.abc import Iterable
from typing import Any

from hypothesis import HealthCheck, given, settings
from rich.cells import cell_len
from textual.widgets import Static

from ccmon.domain import Collection, Record
from ccmon.engine.engine import Engine
from ccmon.engine.health import Health, SourceHealth
from ccmon.snapshot.collect import Snapshot
from ccmon.snapshot.csv import FORMULA_STARTS, render_csv
from ccmon.snapshot.render import render_json, render_table
from ccmon.text import MAX_LEN
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.detail import record_lines
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.floors import store_of
from tests.support.hostile import captured_log, hostile_payloads, read_everything
from tests.support.screen import screen_problems, unsafe_characters

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def strings(record: Record) -> Iterable[tuple[str, str]]:
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                yield field.name, item


def record_problems(snapshot: Snapshot) -> list[str]:
    problems = []
    for collection, records in snapshot.collections.items():
        for record in records:
            for name, text in strings(record):
                bad = unsafe_characters(text)
                if bad or len(text) > MAX_LEN or not text.strip():
                    problems.append(f"{collection.value}.{name}: {text[:40]!r} {bad[:3]}")
    return problems


def line_problems(where: str, text: str) -> list[str]:
    return [
        f"{where} line {n}: {sorted(set(bad))[:4]} in {line[:50]!r}"
        for n, line in enumerate(text.split("\n"))
        if (bad := unsafe_characters(line))
    ]


def misaligned(table_text: str) -> list[str]:
    """Rows of the plain-text tables whose columns do not start where the header's do.

    The dashes under the header mark each column; in every row, the cell that starts a
    column must start exactly there (counted in terminal cells, so wide characters count
    twice) with the two-space gap before it.
    """
    problems = []
    for block in table_text.split("\n\n"):
        lines = block.split("\n")
        if len(lines) < 3 or not lines[2].startswith("-"):
            continue
        rule = lines[2]  # dashes and spaces: one cell per character
        starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
        for row in lines[3:]:
            if not row or row == "(none)" or row.startswith("! "):
                continue
            at: dict[int, str] = {}
            cell = 0
            for char in row:
                at[cell] = char
                cell += cell_len(char)
            for start in starts[1:]:
                if start not in at or at.get(start - 1) != " " or at.get(start - 2) != " ":
                    problems.append(f"{lines[0]}: column at {start} in {row[:60]!r}")
                    break
    return problems


def formulas(sheet: str) -> list[str]:
    """CSV cells a spreadsheet would run: starting with = + - @ and not a plain number."""
    found = []
    for row in csv.reader(sheet.splitlines()):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


@HOSTILE
@given(hostile_payloads())
def test_hostile_records_read_clean_into_records_snapshots_and_logs(
    payloads: dict[str, Any],
) -> None:
    with captured_log() as log_lines:
        snapshot = asyncio.run(read_everything(payloads))
    assert snapshot.collections[Collection.AGENTS] or snapshot.sources["ccai"].skipped_records
    assert not record_problems(snapshot)
    for name, report in snapshot.sources.items():
        assert not unsafe_characters(report.error or ""), (name, report.error)
    document, table = render_json(snapshot), render_table(snapshot)
    assert not line_problems("json", document)
    assert not line_problems("table", table)
    assert not misaligned(table)
    for collection in Collection:
        sheet = render_csv(snapshot, collection)
        assert not line_problems(f"csv {collection.value}", sheet)
        assert not formulas(sheet), formulas(sheet)[:3]
    assert log_lines, "the failing endpoint should have been logged"
    assert not line_problems("log", "\n".join(log_lines))


def _read_in_thread(payloads: dict[str, Any]) -> Snapshot:
    """``read_everything`` from inside the app's running event loop (its own loop, in a
    thread: the app waits, as it would for a slow render)."""
    result: list[Snapshot] = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(read_everything(payloads))))
    worker.start()
    worker.join(60)
    return result[0]


async def test_hostile_records_paint_clean_full_width_lines() -> None:
    app = CcmonApp(Engine([]))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        store = store_of(app)

        @HOSTILE
        @given(hostile_payloads())
        def paint(payloads: dict[str, Any]) -> None:
            snapshot = _read_in_thread(payloads)
            for collection, records in snapshot.collections.items():
                for source in ("ccai", "alo", "evo"):
                    store.replace(collection, source, [r for r in records if r.source == source])
            errors = [r.error for r in snapshot.sources.values() if r.error]
            app._apply_pending()
            app._tick()
            app.query_one(StatusBar).show(
                [
                    SourceHealth(name, Health.DEGRADED, 1.0, 1, 60, 0, 1, error, ("teams",), 1, 1)
                    for name, error in zip(("ccai", "alo", "evo"), errors, strict=False)
                ],
                paused=False,
            )
            problems = screen_problems(app)
            assert not problems, problems[:5]
            for records in snapshot.collections.values():
                for record in records:
                    text = record_lines(record, mask_pii=False).plain
                    assert not line_problems("detail", text)
            title = str(app.query_one("#title", Static).render())
            assert not unsafe_characters(title)

        paint()
