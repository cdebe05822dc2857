"""Parse vendor records the way real servers demand: degrade per field, skip per record.

Models declare every field a monitor can live without as optional. A record is validated
as it came; only if that fails are the offending values (as pydantic's error locations name
them) set to None, or dropped from their list, and the record validated again. The happy
path costs one plain pydantic validation; a record is skipped only when what identifies it
is missing or unusable. Both outcomes are counted in a :class:`ParseTally`, so the status bar
can say "3 fields ignored" instead of losing a page.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasGenerator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.alias_generators import to_camel, to_pascal

from ccmon.text import MAX_LEN

_MAX_REPAIRS = 4
_MAX_SAMPLES = 5


def _as_utc(value: datetime) -> datetime:
    # Aware values keep pydantic's own UTC/offset tzinfo: same instant, and converting
    # 80,000 timestamps a page costs more than every other step of parsing.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
"""ISO 8601 (or epoch seconds) as an aware UTC datetime; naive values are taken as UTC."""

_ID = r"^[^\p{C}\p{Zl}\p{Zp}\x{FE00}-\x{FE0F}\x{1F3FB}-\x{1F3FF}]+$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LEN, pattern=_ID)]
"""An identifier (a number or a string): one printable line of at most 256 characters.

Ids become keys, URL paths, table cells and detail lines, and unlike names they are not
cleaned (cleaning could make two ids one). An id with control, invisible or line-breaking
characters, or those whose width terminals disagree on (see ``ccmon/text.py``), is unusable:
as a record's identity it gets the record skipped and counted."""


class VendorModel(BaseModel):
    """Base for vendor payloads: unknown fields ignored, numbers accepted where text is."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)


def _any_case(name: str) -> AliasChoices:
    return AliasChoices(to_camel(name), to_pascal(name), name)


class CamelModel(VendorModel):
    """Vendor payloads in camelCase (ALO, Evo); PascalCase and snake_case keys work too."""

    model_config = ConfigDict(alias_generator=AliasGenerator(validation_alias=_any_case))


@dataclass(slots=True)
class ParseTally:
    """What parsing one response cost: records kept, skipped, fields set to None."""

    records: int = 0
    skipped: int = 0
    degraded: int = 0
    samples: list[str] = field(default_factory=list)
    """The first few problems as ``model.field: error type`` (never the values: PII)."""

    def note(self, model: str, loc: tuple[int | str, ...], kind: str) -> None:
        if len(self.samples) < _MAX_SAMPLES:
            where = ".".join(str(part) for part in loc) or "record"
            self.samples.append(f"{model}.{where}: {kind}")

    def add(self, other: ParseTally) -> None:
        self.records += other.records
        self.skipped += other.skipped
        self.degraded += other.degraded
        for sample in other.samples:
            if len(self.samples) < _MAX_SAMPLES:
                self.samples.append(sample)


M = TypeVar("M", bound=BaseModel)


@functools.cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def parse_records(model: type[M], items: Iterable[Any], tally: ParseTally) -> list[M]:
    """Validate each item; keep what can be kept (see the module docstring).

    A clean page is validated in one call into pydantic-core; only a page with a problem
    pays for record-by-record validation.
    """
    items = items if isinstance(items, list) else list(items)
    try:
        fast = _list_adapter(model).validate_python(items)
    except ValidationError:
        pass
    else:
        tally.records += len(fast)
        return fast
    parsed: list[M] = []
    for raw in items:
        record = parse_one(model, raw, tally)
        if record is not None:
            parsed.append(record)
    return parsed


def parse_one(model: type[M], raw: Any, tally: ParseTally) -> M | None:
    if not isinstance(raw, dict):
        tally.skipped += 1
        tally.note(model.__name__, (), f"not an object but {type(raw).__name__}")
        return None
    data: dict[str, Any] = raw
    repaired: set[tuple[int | str, ...]] = set()
    for _ in range(_MAX_REPAIRS):
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            fixable = [tuple(err["loc"]) for err in errors if err["type"] != "missing"]
            if len(fixable) < len(errors) or any(loc in repaired for loc in fixable):
                break  # an identifying field is missing or unusable
            if data is raw:
                data = copy.deepcopy(raw)
            for loc in sorted(fixable, key=_deepest_last_index_first):
                _drop(data, loc)
                repaired.add(loc)
                tally.note(model.__name__, loc, next(e["type"] for e in errors if e["loc"] == loc))
            continue
        tally.records += 1
        tally.degraded += len(repaired)
        return record
    tally.skipped += 1
    tally.note(model.__name__, (), "unusable identity")
    return None


def _deepest_last_index_first(loc: tuple[int | str, ...]) -> tuple[int, ...]:
    # Delete list items from the highest index down so earlier indices stay valid.
    return tuple(-part if isinstance(part, int) else 0 for part in loc)


def _drop(data: Any, loc: tuple[int | str, ...]) -> None:
    """Set the value at ``loc`` to None, or remove it if it is a list item.

    pydantic adds union member names to locations (``('id', 'int')``); the walk stops at the
    deepest part that exists in the data, so the whole field is dropped in that case.
    """
    parent: Any = None
    key: int | str | None = None
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            parent, key, node = node, part, node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent, key, node = node, part, node[part]
        else:
            break
    if parent is None or key is None:
        return
    if isinstance(parent, list) and isinstance(key, int):
        del parent[key]
    elif isinstance(parent, dict):
        parent[key] = None
