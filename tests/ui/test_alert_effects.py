"""What an alert does once raised or cleared: the bell, the user's command, the header's
words, the ⚠ tiles (the rules themselves: tests/engine/test_alerts.py)."""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from ccmon.domain import Queue
from ccmon.domain.policy import AlertPolicy
from ccmon.engine.alerts import AlertMonitor
from ccmon.engine.metrics import FloorMetrics, compute
from ccmon.ui.alert_effects import CLEARED_SHOWN_S, AlertEffects

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def waiting(count: int) -> FloorMetrics:
    queue = Queue("ccai", "1", "Main/Billing", "call", count, 0 if count else None, None)
    return compute(now=NOW, agents=[], queues=[queue])


class Effects:
    """An AlertEffects whose bell, background work and wall clock are recorded here."""

    def __init__(self, settings: AlertPolicy) -> None:
        self.bells = 0
        self.started: list[Coroutine[Any, Any, object]] = []
        self.wall = 1000.0
        self.effects = AlertEffects(
            AlertMonitor(settings),
            settings,
            bell=self.ring,
            run=self.started.append,
            wall=lambda: self.wall,
        )

    def ring(self) -> None:
        self.bells += 1

    def check(self, count: int) -> bool:
        return self.effects.check(waiting(count), [], now=NOW, loaded=None)


def test_a_raised_alert_rings_marks_its_tile_and_names_itself_in_the_header() -> None:
    probe = Effects(AlertPolicy(clear_after_s=0, bell=True))
    assert not probe.check(2)
    assert probe.effects.words(probe.wall) == ""
    assert probe.check(20)
    assert probe.bells == 1
    assert probe.effects.marked_kpis() == {"waiting"}
    assert probe.effects.words(probe.wall).startswith("⚠ ")
    assert not probe.check(21)  # still raised: no news, no second ring
    assert probe.bells == 1


def test_a_cleared_alert_is_said_for_a_while_and_never_rings() -> None:
    probe = Effects(AlertPolicy(clear_after_s=0, bell=True))
    probe.check(20)
    assert probe.check(0)
    assert probe.bells == 1
    assert probe.effects.marked_kpis() == set()
    said = probe.effects.words(probe.wall)
    assert said.startswith("✓ ")
    assert probe.effects.words(probe.wall + CLEARED_SHOWN_S - 1) == said
    assert probe.effects.words(probe.wall + CLEARED_SHOWN_S) == ""


def test_the_bell_stays_quiet_unless_asked_and_the_command_runs_for_every_event() -> None:
    probe = Effects(AlertPolicy(clear_after_s=0, command=SecretStr("true")))
    probe.check(20)
    probe.check(0)
    assert probe.bells == 0
    assert len(probe.started) == 2  # raised, then cleared
    for work in probe.started:
        work.close()  # not run here: tests/ui/test_alerts_ui.py runs a real one


def test_no_command_starts_nothing() -> None:
    probe = Effects(AlertPolicy(clear_after_s=0))
    probe.check(20)
    assert probe.started == []
