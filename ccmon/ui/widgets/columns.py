"""The column shapes the panes repeat, one factory each; ``extra`` is what else
:class:`~ccmon.ui.widgets.record_table.Column` takes (``drop``, ``style``, ``marks`` …)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ccmon.ui import format as fmt
from ccmon.ui.widgets.record_table import Column

if TYPE_CHECKING:
    from ccmon.ui.options import UiOptions

T = TypeVar("T")


def age_order(start: datetime) -> float:
    """The sort value of an age shown from its start time: the older, the larger."""
    return -start.timestamp()


def figure(
    key: str,
    title: str,
    value: Callable[[T], Any],
    show: Callable[[Any], str],
    width: int,
    **extra: Any,
) -> Column[T]:
    """A number on the right with ↑/↓ on change (waits, percentages, counts that move)."""
    return Column(
        key,
        title,
        value,
        fmt=lambda v, _: show(v),
        width=width,
        align="right",
        **{"arrows": True, **extra},
    )


def service_level(
    key: str, title: str, value: Callable[[T], float | None], options: UiOptions, **extra: Any
) -> Column[T]:
    """A service level in percent, coloured and marked (! !!) against the policy's target."""
    levels, target = options.thresholds, options.policy.target_pct
    return figure(
        key,
        title,
        value,
        fmt.percent,
        8,
        style=lambda v: f"record-table--{levels.sl_level(v, target)}",
        marks=True,
        **extra,
    )


FORECAST_STYLE = "record-table--forecast"


def forecast(
    key: str,
    title: str,
    value: Callable[[T], Any],
    show: Callable[[Any], str],
    width: int,
    **extra: Any,
) -> Column[T]:
    """A forecast figure on the right, in its own style (italic, the theme's forecast colour)
    and marked ``~`` by ``show``: never taken for a measured figure, colour or not. No ↑/↓:
    an estimate moving is not news."""
    return figure(
        key, title, value, show, width, **{"arrows": False, "style": _forecast_style, **extra}
    )


def _forecast_style(value: object) -> str | None:
    return None if value is None else FORECAST_STYLE


def count(key: str, title: str, value: Callable[[T], Any], width: int, **extra: Any) -> Column[T]:
    """A count on the right, no arrows: context for the figures beside it."""
    return Column(
        key, title, value, fmt=lambda v, _: fmt.count(v), width=width, align="right", **extra
    )


def age(
    key: str, title: str, since: Callable[[T], datetime | None], width: int, **extra: Any
) -> Column[T]:
    """How long since ``since`` (time in state, in status, talking), ticking on the right;
    sorted largest first, the oldest start is the longest age."""
    return Column(
        key,
        title,
        since,
        fmt=lambda v, now: fmt.since(v, now),
        width=width,
        align="right",
        ticking=True,
        order=age_order,
        **extra,
    )


def clock(
    key: str, title: str, at: Callable[[T], datetime | None], width: int, **extra: Any
) -> Column[T]:
    """A time of day."""
    return Column(key, title, at, fmt=lambda v, _: fmt.clock(v), width=width, **extra)


def ranked(
    key: str,
    title: str,
    rank: Callable[[T], int],
    text: Callable[[T], str],
    width: int,
    **extra: Any,
) -> Column[T]:
    """``text`` (a state, a status) sorted in ``rank`` order, not alphabetically. The value is
    (rank, text): a ``style`` given in ``extra`` receives that pair."""
    return Column(
        key, title, lambda r: (rank(r), text(r)), fmt=lambda v, _: v[1], width=width, **extra
    )
