"""``ccmon hub``: poll once for everyone and publish to Redis; and the viewers' side of it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator

import httpx

from ccmon.commands.registry import SOURCE_NAMES, build_sources, checked_settings
from ccmon.commands.setup import configured, flag_overrides
from ccmon.config.secrets import resolve_secret
from ccmon.config.settings import HubSettings, Settings
from ccmon.doctor import SourceCheck
from ccmon.engine.engine import Engine
from ccmon.engine.floor import Floor
from ccmon.errors import ConfigError
from ccmon.history.setup import record_history, say_once
from ccmon.http.errors import register_secret
from ccmon.hub.check import check_hub
from ccmon.hub.connect import check_url, client, explain, shown_url, url_password
from ccmon.hub.keys import HubKeys
from ccmon.hub.runner import HubRunner
from ccmon.hub.status import hub_status
from ccmon.hub.viewer import HubFloor
from ccmon.sources.base import Source


def hub_url(args: argparse.Namespace, settings: Settings) -> str | None:
    """``--hub URL``, else ``[hub] url`` / ``CCMON_HUB_URL``; None: no hub. A password in
    the URL is registered as a secret (redacted from every message and log line)."""
    url = getattr(args, "hub", None) or settings.hub.url
    if not url:
        return None
    register_secret(url_password(url))
    return check_url(url)


def _password(hub: HubSettings) -> str | None:
    return resolve_secret("hub", "password", hub.password, hub.password_command)


def viewer(url: str, hub: HubSettings) -> HubFloor:
    return HubFloor(client(url, password=_password(hub)), url=url, keys=HubKeys(hub.prefix))


@contextlib.contextmanager
def live_floor(
    args: argparse.Namespace, *, say: Callable[[str], None] | None = None
) -> Iterator[tuple[Settings, Floor]]:
    """The floor a screen or ``watch`` shows: a hub viewer when a hub URL is set (no vendor
    credentials needed), else the live engine over the configured sources (or the demo),
    which records the history (``say`` gets its one "history off: …" line; the screen reads
    ``history_of(floor).problem`` instead)."""
    if not getattr(args, "demo", False):
        settings = checked_settings(
            getattr(args, "config", None),
            profile=getattr(args, "profile", None),
            overrides=flag_overrides(args),
        )
        url = hub_url(args, settings)
        if url is not None:
            yield settings, viewer(url, settings.hub)
            return
    elif getattr(args, "hub", None):
        raise ConfigError("--demo and --hub exclude each other: `ccmon hub --demo` runs both")
    with configured(args) as (settings, sources):
        engine = Engine(sources)
        record_history(engine, settings, demo=getattr(args, "demo", False), say=say)
        yield settings, engine


async def _hub(settings: Settings, url: str, checked: list[Source], *, demo: bool) -> None:
    for source in checked:  # each term of leadership builds its own, behind the lease's gate
        await source.aclose()
    hub = settings.hub
    redis = client(url, password=_password(hub))
    try:
        await redis.ping()
    except Exception as exc:
        await redis.aclose()
        raise ConfigError(explain(exc, url)) from None

    def say(line: str) -> None:
        print(f"ccmon hub: {line}", file=sys.stderr, flush=True)

    say_history = say_once(say)

    def make_engine(transport: httpx.AsyncBaseTransport) -> Engine:
        engine = Engine(build_sources(settings, transport=transport))
        # The leader's terms only; every queue's rows, for viewers that cannot ask for one.
        record_history(engine, settings, demo=demo, say=say_history, every_queue=True)
        return engine

    runner = HubRunner(
        make_engine,
        redis,
        url=url,
        keys=HubKeys(hub.prefix),
        ttl_s=hub.lease_ttl_s,
        mask_pii=hub.mask_pii,
        say=say,
    )
    say(f"{runner.hub_id} publishing to {shown_url(url)} under {hub.prefix!r}; standing by")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        await runner.run(stop)
    finally:
        await redis.aclose()


async def _status(url: str, hub: HubSettings) -> list[str]:
    redis = client(url, password=_password(hub))
    try:
        async with asyncio.timeout(30):
            return (await hub_status(redis, HubKeys(hub.prefix))).lines()
    except Exception as exc:
        raise ConfigError(explain(exc, url)) from None
    finally:
        await redis.aclose()


def doctor_hub(args: argparse.Namespace) -> tuple[SourceCheck | None, bool]:
    """``ccmon doctor``'s hub rows (None: no hub url is set) and whether any vendor source is
    configured (a screen that reads a hub needs none)."""
    settings = checked_settings(
        getattr(args, "config", None),
        profile=getattr(args, "profile", None),
        overrides=flag_overrides(args),
    )
    vendors = any(getattr(settings, name).is_enabled for name in SOURCE_NAMES)
    url = hub_url(args, settings)
    if url is None:
        return None, vendors
    redis = client(url, password=_password(settings.hub))
    return asyncio.run(check_hub(redis, url, HubKeys(settings.hub.prefix))), vendors


def run_hub_status(args: argparse.Namespace) -> int:
    settings = checked_settings(
        getattr(args, "config", None), profile=getattr(args, "profile", None)
    )
    url = hub_url(args, settings)
    if url is None:
        raise ConfigError("ccmon hub status needs the hub's Redis: --hub URL or [hub] url")
    for line in asyncio.run(_status(url, settings.hub)):
        print(line)
    return 0


def run_hub(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "status":
        return run_hub_status(args)
    with configured(args) as (settings, sources):
        url = hub_url(args, settings)
        if url is None:
            raise ConfigError(
                "ccmon hub needs a Redis to publish to: --hub redis://host:6379/0, "
                "[hub] url in the config, or CCMON_HUB_URL"
            )
        asyncio.run(_hub(settings, url, sources, demo=getattr(args, "demo", False)))
    return 0
