"""A simulated contact center served over real HTTP: CCAI Platform, ALO.ai and Evo Voice.

Seeded and deterministic: the world at sim time T depends only on the seed, the
configuration and T. See :class:`SimServer` for the handle tests and the demo use.
"""

from ccmon.sim.config import BearerAuth, RateLimit, SimConfig
from ccmon.sim.faults import Fault, FaultKind
from ccmon.sim.runner import SimServer
from ccmon.sim.vendors import Vendor

__all__ = ["BearerAuth", "Fault", "FaultKind", "RateLimit", "SimConfig", "SimServer", "Vendor"]
