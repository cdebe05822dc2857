"""What the simulated world is made of; everything that changes its state is here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Spell:
    """A stretch of sim time, in seconds after the world's ``start``, with a set busyness
    (arrivals × the day's average rate)."""

    begin_s: float
    end_s: float
    busyness: float


OPENING_RUSH = (Spell(-20 * 60, 10 * 60, 1.9),)
"""The world opens in a short rush, so that contacts wait from the first look (the tests':
their floors and screenshots were drawn on this day)."""
CALM_THEN_RUSH = (
    Spell(-60 * 60, 2 * 60, 0.8),
    Spell(2 * 60, 12 * 60, 2.3),
    Spell(12 * 60, 40 * 60, 0.7),
)
"""The demo's day: a normal floor, a ten-minute rush two minutes in, then a quiet half hour
in which the floor recovers on screen (the 15-minute service level long before the 60-minute
one); random spells after that."""

# 2024-07-18T14:00:00Z: a fixed default so that a bare WorldConfig() is reproducible.
DEFAULT_START = 1_721_311_200.0


@dataclass(frozen=True, slots=True)
class WorldConfig:
    seed: int = 1
    start: float = DEFAULT_START
    """Sim time (POSIX seconds) the world is at when it opens, after the warm-up."""
    warmup_s: float = 2 * 3600
    """Simulated before ``start`` so that the floor is busy and history and SLA exist."""
    agents: int = 25
    queues: int = 6
    interactions_per_day: int = 3_000
    """CCAI calls + chats per simulated day; Evo and ALO volumes follow from it."""
    retention_s: float = 24 * 3600
    """Ended contacts, logs and periods older than this are forgotten."""
    alo_period_hours: float = 8.0
    spells: tuple[Spell, ...] = CALM_THEN_RUSH
    """Stretches of the day with a set busyness; between them it changes at random."""

    @property
    def evo_agents(self) -> int:
        return max(4, self.agents // 4)

    @property
    def evo_queues(self) -> int:
        return max(3, min(self.queues // 4, 125))

    @property
    def evo_interactions_per_day(self) -> int:
        return self.interactions_per_day // 4

    @property
    def alo_actions_per_day(self) -> int:
        return max(24, self.interactions_per_day // 40)
