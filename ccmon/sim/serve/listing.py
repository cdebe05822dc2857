"""CCAI list parameters: ``id[]``-style filters, ``x[from]``/``x[to]`` ranges, sorting, pages.

Pagination follows the Rails api-pagination convention the CCAI API is built on:
``page`` (from 1) and ``per``, answered with ``Link`` (first/prev/next/last), ``Total``
and ``Per-Page`` headers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from starlette.datastructures import URL, QueryParams

from ccmon.sim.timefmt import parse_iso

T = TypeVar("T")
Getter = Callable[[T], Any]


class BadParameter(ValueError):
    """A query parameter the server cannot read; answered with 400."""


@dataclass(frozen=True, slots=True)
class Filters(Generic[T]):
    """What one list endpoint can filter and sort on, by the names its docs use."""

    matches: dict[str, Getter[T]]  # name[]=a&name[]=b: the value is one of them
    time_ranges: dict[str, Getter[T]]  # name[from] / name[to], ISO 8601, inclusive
    number_ranges: dict[str, Getter[T]]  # name[from] / name[to], numbers, inclusive

    def sort_key(self, column: str) -> Getter[T] | None:
        return (
            self.matches.get(column)
            or self.time_ranges.get(column)
            or self.number_ranges.get(column)
        )

    def predicate(self, params: QueryParams) -> Callable[[T], bool] | None:
        tests: list[Callable[[T], bool]] = []
        for name, getter in self.matches.items():
            wanted = _wanted(params, name)
            if wanted:
                tests.append(_one_of(getter, wanted))
        for ranges, parse in ((self.time_ranges, parse_iso), (self.number_ranges, float)):
            for name, getter in ranges.items():
                low, high = (
                    _bound(params, f"{name}[from]", parse),
                    _bound(params, f"{name}[to]", parse),
                )
                if low is not None or high is not None:
                    tests.append(_between(getter, low, high))
        if not tests:
            return None
        return lambda item: all(test(item) for test in tests)


def _one_of(getter: Getter[T], wanted: set[str]) -> Callable[[T], bool]:
    return lambda item: _text(getter(item)) in wanted


def _between(getter: Getter[T], low: float | None, high: float | None) -> Callable[[T], bool]:
    def test(item: T) -> bool:
        value = getter(item)
        if value is None:
            return False
        return (low is None or value >= low) and (high is None or value <= high)

    return test


def _wanted(params: QueryParams, name: str) -> set[str]:
    values = params.getlist(f"{name}[]") + params.getlist(name)
    return {part.strip().lower() for value in values for part in value.split(",") if part.strip()}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value).lower()


def _bound(params: QueryParams, key: str, parse: Callable[[str], float]) -> float | None:
    raw = params.get(key)
    if raw is None or raw == "":
        return None
    try:
        return parse(raw)
    except ValueError:
        raise BadParameter(f"Invalid {key}: {raw!r}") from None


def select(items: Iterable[T], filters: Filters[T], params: QueryParams) -> Sequence[T]:
    """The items matching the request's filters, in the requested order (default: as given)."""
    keep = filters.predicate(params)
    column = params.get("sort_column")
    key = filters.sort_key(column) if column else None
    descending = params.get("sort_direction", "ASC").upper() == "DESC"
    if keep is None and key is None and not descending and isinstance(items, Sequence):
        return items  # nothing to do: no copy of a long history for one page of it
    chosen = [item for item in items if keep is None or keep(item)]
    if key is not None:
        # None sorts first ascending, last descending, as PostgreSQL does with NULLS.
        by = key
        chosen.sort(key=lambda item: _sortable(by(item)), reverse=descending)
    elif descending:
        chosen.reverse()
    return chosen


def _sortable(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


@dataclass(frozen=True, slots=True)
class PageRules:
    per_default: int
    per_max: int
    headers: bool


def _positive_int(raw: str | None, default: int) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default


def paginate(
    items: Sequence[T], url: URL, params: QueryParams, rules: PageRules
) -> tuple[Sequence[T], dict[str, str]]:
    """One page of ``items`` and the headers that describe the others."""
    per = min(_positive_int(params.get("per"), rules.per_default), rules.per_max)
    page = _positive_int(params.get("page"), 1)
    chunk = items[(page - 1) * per : page * per]
    if not rules.headers:
        return chunk, {}
    last = max(1, math.ceil(len(items) / per))
    links = []
    if page > 1:
        links += [(1, "first"), (min(page - 1, last), "prev")]
    if page < last:
        links += [(page + 1, "next"), (last, "last")]
    headers = {"Total": str(len(items)), "Per-Page": str(per)}
    if links:
        headers["Link"] = ", ".join(
            f'<{url.include_query_params(page=number, per=per)}>; rel="{rel}"'
            for number, rel in links
        )
    return chunk, headers
