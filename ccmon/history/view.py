"""What the screens read of the day's history, wherever it comes from.

A process that polls the vendors records the history itself (``HistoryRecorder``); a hub
viewer reads what its hub's recorder publishes (``HubHistory``). The screens (the KPI strip's
sparklines, the status bar, the Intraday screen) see either through :class:`HistoryView` and
find it with :func:`history_of`; nothing behind it touches the disk or the network when a
screen asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Protocol, runtime_checkable

from ccmon.domain.policy import SlaPolicy
from ccmon.engine.forecast import QueueLoad
from ccmon.engine.metrics import FloorMetrics
from ccmon.history.store import IntervalRow, Sample

SAMPLES_KEPT_MIN = 60
"""The minute samples kept for the screens: the sparklines' hour."""


@runtime_checkable
class HistoryView(Protocol):
    @property
    def problem(self) -> str | None:
        """``"history off: <why>"`` when there is no history to show, else None."""
        ...

    @property
    def loaded(self) -> bool:
        """Whether today's history has been read (until then the screens say "reading")."""
        ...

    @property
    def interval_min(self) -> int:
        """The length of the rows' intervals in minutes (15, 30 or 60)."""
        ...

    @property
    def tz(self) -> tzinfo | None:
        """The zone the screens show times in (None: this machine's local time)."""
        ...

    @property
    def policy(self) -> SlaPolicy:
        """The SLA settings the rows were computed with (the day's total uses them too)."""
        ...

    def samples(self, minutes: int = SAMPLES_KEPT_MIN) -> list[Sample | None]:
        """The last ``minutes`` per-minute samples, oldest first, the current minute last;
        None for a minute without a sample (a gap, never a zero)."""
        ...

    def series(self, figure: str, minutes: int = SAMPLES_KEPT_MIN) -> list[float | None]:
        """One figure of :meth:`samples` (``"sl_pct"``, ``"waiting"`` …), None in the gaps."""
        ...

    def intervals(self, queue: str | None = None) -> list[IntervalRow]:
        """Today's interval rows: the floor's, or with ``queue`` that queue's, one row per
        channel."""
        ...


def series_of(samples: list[Sample | None], figure: str) -> list[float | None]:
    """One figure of a run of samples, None in the gaps."""
    return [None if s is None else getattr(s, figure) for s in samples]


def history_of(floor: object) -> HistoryView | None:
    """The history running with ``floor`` (the first of its companions that is a
    :class:`HistoryView`: an engine's recorder, a hub viewer's reader), if any."""
    for companion in getattr(floor, "companions", ()):
        if isinstance(companion, HistoryView):
            return companion
    return None


@runtime_checkable
class LoadSource(Protocol):
    """A history that measures each queue's load for the forecast (a recorder; a hub
    viewer's history does not: its forecast uses the feeds' hour)."""

    def loads(self, metrics: FloorMetrics) -> dict[str, QueueLoad]: ...


def history_loads(floor: object, metrics: FloorMetrics) -> Mapping[str, QueueLoad] | None:
    """The forecast's loads from the history running with ``floor``, by queue key; None
    without a usable one (the forecast then measures the feeds' hour)."""
    history = history_of(floor)
    if not isinstance(history, LoadSource) or history.problem is not None:
        return None
    return history.loads(metrics)
