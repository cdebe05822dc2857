"""Everything a simulator run can be told: the world, the listeners and their behaviour."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ccmon.sim.faults import Fault
from ccmon.sim.vendors import Vendor
from ccmon.sim.world.config import CALM_THEN_RUSH, Spell, WorldConfig


@dataclass(frozen=True, slots=True)
class RateLimit:
    rate: float  # requests per second, refilled continuously
    burst: int  # requests that may arrive at once


@dataclass(frozen=True, slots=True)
class BearerAuth:
    header: str = "Authorization"
    scheme: str = "Bearer"  # empty: the header holds the bare token


@dataclass(frozen=True, slots=True)
class Credentials:
    ccai_username: str
    ccai_token: str
    alo_token: str
    evo_token: str
    evo_username: str
    evo_password: str
    admin_token: str


@dataclass(frozen=True, slots=True)
class SimConfig:
    # -- the world ---------------------------------------------------------------------
    seed: int = 1
    speed: float = 1.0
    """Sim seconds per real second; 0 freezes the clock (move it with ``clock.advance``)."""
    start: datetime | None = None
    """Sim time when serving starts; None: the current time, to the second."""
    warmup_s: float = 2 * 3600
    agents: int = 25
    queues: int = 6
    interactions_per_day: int = 3_000
    retention_s: float = 24 * 3600
    spells: tuple[Spell, ...] = CALM_THEN_RUSH
    """Stretches with a set busyness (sim seconds after ``start``): the day's calm and rush."""
    # -- listeners ---------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 0
    """CCAI's port; ALO, Evo and admin take the next three. 0: any free ports."""
    # -- credentials (None: a random token per run) --------------------------------------
    subdomain: str = "demo"
    ccai_token: str | None = None
    alo_token: str | None = None
    evo_token: str | None = None
    """Evo's API key (bearer); Evo takes Basic ``evo_username:evo_password`` as well."""
    evo_username: str = "supervisor@acme.example"
    evo_password: str | None = None
    admin_token: str | None = None
    alo_auth: BearerAuth = BearerAuth()
    evo_auth: BearerAuth = BearerAuth()
    # -- rate limits -------------------------------------------------------------------
    rate_limit: bool = True
    ccai_rate: RateLimit = RateLimit(1.0, 1)  # "1 request per second per customer"
    alo_rate: RateLimit = RateLimit(5.0, 5)
    evo_rate: RateLimit = RateLimit(5.0, 5)
    rate_tolerance_s: float = 0.05
    """A request this much early is still admitted: arrival jitter on a loaded loopback.
    The long-run rate is still enforced (an early request borrows from the next)."""
    retry_after: Literal["seconds", "http-date", "none"] = "seconds"
    # -- pagination and paths ----------------------------------------------------------
    pagination_headers: bool = True
    """Link/Total/Per-Page on CCAI lists; off: clients must stop on a short page."""
    per_page_default: int = 25
    per_page_max: int = 100
    evo_page_default: int = 50
    menu_paths: Literal["both", "plural", "singular"] = "both"
    """CCAI menus and teams under ``menus/``, ``menu/`` or both spellings."""
    single_menu_as_list: bool = True
    """``menus/{id}`` answers a one-item list, as the docs' example does."""
    # -- faults ------------------------------------------------------------------------
    faults: tuple[tuple[Vendor, Fault], ...] = field(default_factory=tuple)

    def world_config(self, start: float) -> WorldConfig:
        return WorldConfig(
            seed=self.seed,
            start=start,
            warmup_s=self.warmup_s,
            agents=self.agents,
            queues=self.queues,
            interactions_per_day=self.interactions_per_day,
            retention_s=self.retention_s,
            spells=self.spells,
        )

    def credentials(self) -> Credentials:
        def token(given: str | None) -> str:
            return given if given is not None else secrets.token_urlsafe(24)

        return Credentials(
            ccai_username=self.subdomain,
            ccai_token=token(self.ccai_token),
            alo_token=token(self.alo_token),
            evo_token=token(self.evo_token),
            evo_username=self.evo_username,
            evo_password=token(self.evo_password),
            admin_token=token(self.admin_token),
        )

    def rate_for(self, vendor: Vendor) -> RateLimit | None:
        if not self.rate_limit:
            return None
        return {Vendor.CCAI: self.ccai_rate, Vendor.ALO: self.alo_rate, Vendor.EVO: self.evo_rate}[
            vendor
        ]
