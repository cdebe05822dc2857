"""Today's history as JSON text: what a hub publishes for its viewers and they read back.

Rows and samples keep every figure exactly (a viewer's day total and SL are computed from the
same counts as the hub's); a row's ``stats`` leave out the counts that are zero. Reading
validates everything: text that is not what it says raises ``ValueError`` in one line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import ContactStats
from ccmon.history.store import IntervalRow, Sample

FORMAT = 1
"""The history keys' own format (within the hub's version): bumped when a reader of this
one would misread a newer writer's."""

_ROWS = TypeAdapter(list[IntervalRow])
_SAMPLES = TypeAdapter(list[Sample])
_POLICY = TypeAdapter(SlaPolicy)


def digest(text: str) -> str:
    """A short digest of published text: a reader fetches a part only when it changed."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_STATS = tuple(f.name for f in dataclasses.fields(ContactStats))


def _row(row: IntervalRow) -> dict[str, Any]:
    counts = row.stats
    stats = {name: value for name in _STATS if (value := getattr(counts, name))}
    return {
        "start": int(row.start.timestamp()),
        "minutes": row.minutes,
        "queue": row.queue,
        "channel": row.channel,
        "stats": stats,
        "sl_pct": row.sl_pct,
        "longest_wait_s": row.longest_wait_s,
        "peak_waiting": row.peak_waiting,
        "occupancy_pct": row.occupancy_pct,
    }


def rows_json(rows: Iterable[IntervalRow]) -> str:
    return dumps([_row(r) for r in rows])


def samples_json(samples: Iterable[Sample]) -> str:
    return dumps([s.as_dict() for s in samples])


def policy_dict(policy: SlaPolicy) -> dict[str, Any]:
    return dataclasses.asdict(policy)


def _read(adapter: TypeAdapter[Any], value: Any, what: str) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ValueError(f"{what}: {where + ': ' if where else ''}{error['msg']}") from None


def loads(raw: bytes | str | None, what: str) -> Any:
    """JSON text, or ``ValueError`` naming ``what`` it should have been."""
    if raw is None:
        raise ValueError(f"{what}: missing")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"{what}: not JSON") from None


def rows_from(raw: bytes | str | None, what: str = "interval rows") -> list[IntervalRow]:
    rows: list[IntervalRow] = _read(_ROWS, loads(raw, what), what)
    return rows


def samples_from(raw: bytes | str | None, what: str = "samples") -> list[Sample]:
    samples: list[Sample] = _read(_SAMPLES, loads(raw, what), what)
    return samples


def policy_from(value: Any) -> SlaPolicy:
    policy: SlaPolicy = _read(_POLICY, value, "SLA settings")
    return policy
