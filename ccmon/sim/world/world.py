"""The whole simulated world: the CCAI center, the Evo Voice center and the ALO board."""

from __future__ import annotations

import random

from ccmon.sim.world.action_board import ActionBoard
from ccmon.sim.world.center import Center
from ccmon.sim.world.config import WorldConfig
from ccmon.sim.world.floor import build_ccai_floor, build_evo_floor
from ccmon.sim.world.model import Channel
from ccmon.sim.world.names import PersonNames
from ccmon.sim.world.scheduler import Scheduler

_FORGET_EVERY_S = 15 * 60


class World:
    """A seeded contact center in simulated time.

    Not thread-safe: :class:`ccmon.sim.live.LiveWorld` wraps it with a lock and a clock.
    """

    def __init__(self, config: WorldConfig) -> None:
        self.config = config
        opens_at = config.start - config.warmup_s
        self.scheduler = Scheduler(opens_at)
        floor_rng = random.Random(f"{config.seed}:floor")
        names = PersonNames(floor_rng)
        self.ccai = Center(
            floor=build_ccai_floor(floor_rng, names, config.agents, config.queues, opens_at),
            scheduler=self.scheduler,
            rng=random.Random(f"{config.seed}:ccai"),
            interactions_per_day=config.interactions_per_day,
            first_ids={Channel.CALL: 100_001, Channel.CHAT: 40_001},
            keeps_activity_log=True,
        )
        self.evo = Center(
            floor=build_evo_floor(floor_rng, names, config.evo_agents, config.evo_queues, opens_at),
            scheduler=self.scheduler,
            rng=random.Random(f"{config.seed}:evo"),
            interactions_per_day=config.evo_interactions_per_day,
            first_ids={Channel.CALL: 1, Channel.CHAT: 1, Channel.FAX: 1},
            keeps_activity_log=False,
            fax_share=0.03,
        )
        self.alo = ActionBoard(
            scheduler=self.scheduler,
            rng=random.Random(f"{config.seed}:alo"),
            staff=self._logged_in_names,
            actions_per_day=config.alo_actions_per_day,
            period_hours=config.alo_period_hours,
        )
        self.ccai.on_abandon = self.alo.callback_for
        spells = [
            (config.start + s.begin_s, config.start + s.end_s, s.busyness) for s in config.spells
        ]
        self.ccai.open(spells)
        self.evo.open(spells)
        self.alo.open()
        self.scheduler.after(_FORGET_EVERY_S, self._forget)
        self.advance_to(config.start)

    @property
    def now(self) -> float:
        return self.scheduler.now

    def advance_to(self, t: float) -> None:
        """Run the world up to sim time ``t`` (never backwards)."""
        self.scheduler.run_until(t)

    def _logged_in_names(self) -> list[str]:
        return [agent.name for agent in self.ccai.floor.agents if agent.logged_in]

    def _forget(self) -> None:
        cutoff = self.now - self.config.retention_s
        self.ccai.forget_before(cutoff)
        self.evo.forget_before(cutoff)
        self.alo.forget_before(cutoff)
        self.scheduler.after(_FORGET_EVERY_S, self._forget)
