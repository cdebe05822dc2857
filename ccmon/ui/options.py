"""What the UI needs to know besides the data: clocks, thresholds, privacy, timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ccmon.engine.alerts import AlertSettings
from ccmon.engine.metrics import SlaPolicy

PaneName = Literal["agents", "queues", "sla", "interactions", "board"]
ALL_PANES: tuple[PaneName, ...] = ("agents", "queues", "sla", "interactions", "board")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a number turns amber (warn) or red (bad). Colour is never the only signal:
    the KPI tiles also show ▲/▼ and the words "warn"/"ALERT"."""

    longest_wait_warn_s: int = 60
    longest_wait_bad_s: int = 120
    waiting_warn: int = 5
    waiting_bad: int = 10
    sl_warn_margin_pct: float = 5.0
    """SL below target + margin is a warning; below target is bad."""
    asa_warn_s: int = 30
    asa_bad_s: int = 60
    abandon_warn_pct: float = 5.0
    abandon_bad_pct: float = 10.0

    def level(
        self, value: float | None, warn: float, bad: float, *, low_is_bad: bool = False
    ) -> str:
        if value is None:
            return "muted"
        if low_is_bad:
            return "bad" if value < bad else "warn" if value < warn else "good"
        return "bad" if value >= bad else "warn" if value >= warn else "good"

    def wait_level(self, seconds: float | None) -> str:
        return self.level(seconds, self.longest_wait_warn_s, self.longest_wait_bad_s)

    def waiting_level(self, count: float | None) -> str:
        return self.level(count, self.waiting_warn, self.waiting_bad)

    def asa_level(self, seconds: float | None) -> str:
        return self.level(seconds, self.asa_warn_s, self.asa_bad_s)

    def abandon_level(self, pct: float | None) -> str:
        return self.level(pct, self.abandon_warn_pct, self.abandon_bad_pct)

    def sl_level(self, pct: float | None, target: float) -> str:
        return self.level(pct, target + self.sl_warn_margin_pct, target, low_is_bad=True)


@dataclass(frozen=True, slots=True)
class UiOptions:
    policy: SlaPolicy = field(default_factory=SlaPolicy)
    thresholds: Thresholds = field(default_factory=Thresholds)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    panes: tuple[PaneName, ...] = ALL_PANES
    """Which panes show; the others are left out of the screen and the tabs."""
    mask_pii: bool = False
    flash_s: float = 3.0
    """How long a changed cell stays highlighted (sticky, like htop -H)."""
    tombstone_s: float = 4.0
    tick_s: float = 1.0
    """The one decay/redraw timer of the app."""
    export_dir: Path | None = None
    """Where ``e`` writes its CSV files; None: the directory ccmon was started in."""
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    """Wall clock for "time in state"; frozen in screenshot tests."""
