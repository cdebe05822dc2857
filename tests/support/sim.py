"""Simulators for tests: started with the test configuration (``ccmon.sim.testing``, which
the screenshots' still floor uses too), read by ccmon's own sources on the simulator's clock,
or by a plain httpx client.

    with running_sim(agents=8, rate_limit=False) as sim:
        with sim_client(sim, "ccai") as client:
            client.get("agents")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.http import RetryPolicy
from ccmon.sim.runner import SimServer
from ccmon.sim.testing import (
    ADMIN_TOKEN,
    CCAI_TOKEN,
    CCAI_USERNAME,
    TEST_START,
    running_sim,
    test_config,
)
from ccmon.sim.vendors import Vendor
from ccmon.sources.base import Source

__all__ = [
    "ADMIN_TOKEN",
    "CCAI_TOKEN",
    "CCAI_USERNAME",
    "TEST_START",
    "UNTHROTTLED",
    "running_sim",
    "sim_client",
    "sim_now",
    "sim_sources",
    "test_config",
]


def sim_now(sim: SimServer) -> Callable[[], datetime]:
    """The simulated "now": a test simulator's clock is not today's."""
    return lambda: datetime.fromtimestamp(sim.clock.now(), UTC)


def sim_sources(
    sim: SimServer,
    settings_env: Mapping[str, str] | None = None,
    /,
    *,
    retry: RetryPolicy | None = None,
    documented_rates: dict[str, float] | None = None,
    **env: str,
) -> list[Source]:
    """ccmon's sources for ``sim`` with ``CCMON_*`` settings (``settings_env``, then ``env``),
    on the simulator's clock (``retry`` and ``documented_rates`` as in :func:`build_sources`)."""
    given = {**(settings_env or {}), **env}
    settings = load_settings(env={**sim.env, "CCMON_CONFIG": os.devnull, **given})
    return build_sources(settings, retry=retry, now=sim_now(sim), documented_rates=documented_rates)


UNTHROTTLED = {
    "CCMON_CCAI_RATE": "100",
    "CCMON_ALO_RATE": "100",
    "CCMON_EVO_RATE": "100",
    "CCMON_CCAI_BURST": "10",
}


def sim_client(sim: SimServer, vendor: Vendor | str, **kwargs: Any) -> httpx.Client:
    """An httpx client for one vendor: its base URL, its credentials, JSON accepted."""
    vendor = Vendor(vendor)
    creds = sim.credentials
    kwargs.setdefault("timeout", 10.0)
    headers = {"Accept": "application/json"}
    if vendor is Vendor.CCAI:
        kwargs.setdefault("auth", (creds.ccai_username, creds.ccai_token))
    else:
        token = creds.alo_token if vendor is Vendor.ALO else creds.evo_token
        headers["Authorization"] = f"Bearer {token}"
    headers.update(kwargs.pop("headers", {}))
    # The base URL gets a trailing slash so that relative paths ("agents") append to it.
    return httpx.Client(base_url=sim.base_url(vendor) + "/", headers=headers, **kwargs)
