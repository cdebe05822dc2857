"""``e``: the current pane to a CSV file, and what to tell the user about it.

As shown (its columns, filter and sort applied, customers masked as on screen: the cells of
``ccmon.ui.export``) or, ``raw``, the records' own fields (``snapshot --raw``). The file goes
to ``[ui] export_dir`` or the directory ccmon was started in, readable by the user alone
(caller numbers, names) and never over an earlier one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual.notifications import SeverityLevel

from ccmon.domain import Interaction
from ccmon.files import open_private_unique
from ccmon.snapshot.csv import records_csv
from ccmon.snapshot.privacy import masked_record
from ccmon.ui.export import shown_csv
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.pane import Pane


@dataclass(frozen=True, slots=True)
class Notice:
    """What the app notifies: plain text (never markup: it holds paths and OS errors)."""

    text: str
    severity: SeverityLevel = "information"
    timeout: float | None = None
    """Seconds on screen; None: Textual's default."""


def export_pane(pane: Pane, options: UiOptions, *, raw: bool = False) -> Notice:
    """Write ``pane``'s rows in the order shown; say where, or why not."""
    records = pane.table.ordered_records()
    if not records:
        return Notice(f"{pane.title}: nothing to export", timeout=3)
    now = options.wall()
    if raw:
        if options.mask_pii:
            records = [masked_record(r) if isinstance(r, Interaction) else r for r in records]
        text = records_csv(records, type(records[0]))
    else:
        text = shown_csv(pane.table.columns, records, now)
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    directory = options.export_dir or Path.cwd()
    path = directory / f"ccmon-{pane.id}{'-raw' if raw else ''}-{stamp}.csv"
    if not directory.is_dir():
        return Notice(
            f"could not export: {directory} is not a directory; create it or change "
            "[ui] export_dir",
            severity="error",
        )
    try:
        path, fd = open_private_unique(path)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    except OSError as exc:
        return Notice(f"could not write {path}: {exc.strerror}", severity="error")
    return Notice(f"{len(records)} rows of {pane.title} written to {path}", timeout=5)
