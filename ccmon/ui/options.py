"""What the UI needs to know besides the data: clocks, thresholds, privacy, timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ccmon.config.settings import ALL_PANES, PaneName, UiSettings
from ccmon.domain.policy import AlertPolicy, SlaPolicy, Thresholds

__all__ = ["ALL_PANES", "PaneName", "Thresholds", "UiOptions"]

_DEFAULTS = UiSettings()


@dataclass(frozen=True, slots=True)
class UiOptions:
    policy: SlaPolicy = field(default_factory=SlaPolicy)
    thresholds: Thresholds = field(default_factory=Thresholds)
    alerts: AlertPolicy = field(default_factory=AlertPolicy)
    panes: tuple[PaneName, ...] = ALL_PANES
    """Which panes show; the others are left out of the screen and the tabs."""
    mask_pii: bool = _DEFAULTS.mask_pii
    flash_s: float = _DEFAULTS.flash_s
    """How long a changed cell stays highlighted (sticky, like htop -H)."""
    tombstone_s: float = 4.0
    tick_s: float = _DEFAULTS.refresh_s
    """The one decay/redraw timer of the app."""
    export_dir: Path | None = None
    """Where ``e`` writes its CSV files; None: the directory ccmon was started in."""
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    """Wall clock for "time in state"; frozen in screenshot tests."""
