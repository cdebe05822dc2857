"""What the floor's figures are judged by: the service-level definition, the on-screen
thresholds and the alert rules.

Plain frozen dataclasses with the defaults: the engine and the screens take these. The config
file's pydantic sections (``ccmon/config/settings.py``) take their defaults from here and
convert into them, so a default lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import SecretStr

CLOSED_ACTION_STATUSES = frozenset({"closed", "canceled", "cancelled"})
"""ALO action statuses that no longer count as open."""


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    target_pct: float = 80.0
    threshold_s: int = 20
    abandons_count: bool = True
    short_abandon_s: int = 5
    window_min: int = 60
    min_contacts: int = 5
    """Fewer contacts than this in the window give no service level (—), not 0 % or 100 %."""
    recent_window_min: int = 15
    """The short window of the recent service level, shown beside the ``window_min`` one."""


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


AlertRule = Literal[
    "longest_wait_s",
    "sl_below_pct",
    "waiting_above",
    "available_below",
    "source_down_s",
    "action_open_min",
    "asa_above_s",
    "abandon_above_pct",
]
"""The alert rules, named by their threshold setting (``[alerts]`` in the config file)."""
ALERT_RULES: tuple[AlertRule, ...] = get_args(AlertRule)
ALERT_LABELS: dict[AlertRule, str] = {
    "longest_wait_s": "Longest wait",
    "sl_below_pct": "Service level",
    "waiting_above": "Waiting",
    "available_below": "Available",
    "source_down_s": "Source down",
    "action_open_min": "Open action",
    "asa_above_s": "Speed of answer",
    "abandon_above_pct": "Abandoned",
}
"""What the alerts list calls each rule."""


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """The thresholds of the alert rules (see ``ccmon/engine/alerts.py``) and what to do
    when one is raised or cleared."""

    longest_wait_s: float = 120.0
    sl_below_pct: float = 80.0
    waiting_above: int = 10
    available_below: int = 1
    source_down_s: float = 60.0
    action_open_min: float = 240.0
    asa_above_s: float = 60.0
    abandon_above_pct: float = 10.0
    off: frozenset[AlertRule] = frozenset()
    clear_after_s: float = 30.0
    bell: bool = False
    command: SecretStr | None = None
