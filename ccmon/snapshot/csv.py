"""CSV that is safe to open in a spreadsheet: a pane as shown (``snapshot --format csv --pane
NAME``, the TUI's ``e``; the columns come from ``ccmon.ui.export``) or, with ``--raw``, one
collection's records with the fields of the JSON document.

Strings are already clean (``ccmon/text.py``); a string cell that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading apostrophe.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from typing import Any

from ccmon.domain import RECORD_TYPES, Collection
from ccmon.domain.serialize import record_dict
from ccmon.snapshot.collect import Snapshot
from ccmon.snapshot.render import sorted_records

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it rather than runs it (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    """A JSON-document value as one CSV cell: none empty, lists joined, booleans lower-case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return neutralise(", ".join(str(v) for v in value))
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def table_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A header and rows of JSON-document values (text as shown, numbers ...) as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_cell(value) for value in row)
    return out.getvalue()


def records_csv(records: Iterable[Any], record_type: type) -> str:
    """Dataclass records of one type as CSV, header first: the record's own fields."""
    return table_csv(
        (f.name for f in dataclasses.fields(record_type)),
        (record_dict(record).values() for record in records),
    )


def render_csv(snapshot: Snapshot, collection: Collection) -> str:
    return records_csv(sorted_records(snapshot, collection), RECORD_TYPES[collection])
