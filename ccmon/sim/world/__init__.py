"""The simulated contact center, as pure Python: no I/O, no clocks, no threads."""

from ccmon.sim.world.config import WorldConfig
from ccmon.sim.world.world import World

__all__ = ["World", "WorldConfig"]
