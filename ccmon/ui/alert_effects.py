"""What an alert does on the screen and beyond it, once the engine's rules have decided: the
bell, the user's command (``[alerts] command``), the header's words and the ⚠ on a KPI tile.

No toast: it would cover panes and the status bar. The header says the newest alert in words
while it lasts (and for a while that it cleared), its tile is marked ⚠, the wallboard says
ALERT."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any

from ccmon.domain import Collection
from ccmon.domain.policy import AlertPolicy
from ccmon.engine.alerts import AlertMonitor
from ccmon.engine.health import SourceHealth
from ccmon.engine.metrics import FloorMetrics
from ccmon.ui.alert_command import run_alert_command

CLEARED_SHOWN_S = 10.0
"""How long the header says an alert cleared (when no other alert is active)."""
KPI_OF_RULE = {
    "longest_wait_s": "longest",
    "sl_below_pct": "sl",
    "waiting_above": "waiting",
    "available_below": "available",
    "action_open_min": "actions",
    "asa_above_s": "asa",
    "abandon_above_pct": "abandon",
}
"""The KPI tile each rule watches (source_down_s has none: the status bar names the source)."""

Run = Callable[[Coroutine[Any, Any, object]], object]


class AlertEffects:
    """``bell`` rings; ``run`` starts a coroutine in the background (the app's workers);
    ``wall`` is the wall clock of the header's "cleared" words."""

    def __init__(
        self,
        monitor: AlertMonitor,
        settings: AlertPolicy,
        *,
        bell: Callable[[], None],
        run: Run,
        wall: Callable[[], float],
    ) -> None:
        self.monitor = monitor
        self.settings = settings
        self._bell = bell
        self._run = run
        self._wall = wall
        self._cleared: tuple[str, float] | None = None
        """The message of the alert that cleared last, and when."""

    def check(
        self,
        metrics: FloorMetrics | None,
        health: Iterable[SourceHealth],
        *,
        now: datetime,
        loaded: frozenset[Collection] | None,
    ) -> bool:
        """Evaluate the rules at ``now`` (recorded time in a replay) on figures computed once
        ``loaded`` had; ring, remember what cleared, run the command for each event. True if
        an alert was raised or cleared (the header's words change)."""
        events = self.monitor.evaluate(metrics, health, now=now, loaded=loaded)
        raised = [e for e in events if e.state == "raised"]
        cleared = [e for e in events if e.state == "cleared"]
        if raised and self.settings.bell:
            self._bell()
        if cleared:
            self._cleared = (cleared[-1].message, self._wall())
        command = self.settings.command
        if command is not None:
            for event in events:
                self._run(run_alert_command(command.get_secret_value(), event))
        return bool(events)

    def words(self, now: float) -> str:
        """The header's words at wall time ``now``: the newest alert (and how many there
        are), else for ``CLEARED_SHOWN_S`` the one that cleared; "" when there is nothing."""
        active = list(self.monitor.active.values())
        if active:
            count = f"{len(active)} alerts · " if len(active) > 1 else ""
            return f"⚠ {count}{active[-1].message}"
        if self._cleared is not None and now - self._cleared[1] < CLEARED_SHOWN_S:
            return f"✓ {self._cleared[0]}"
        return ""

    def marked_kpis(self) -> set[str]:
        """The ids of the KPI tiles whose rule alerts now."""
        return {KPI_OF_RULE[name] for name in self.monitor.active if name in KPI_OF_RULE}
