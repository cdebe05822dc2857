"""Build the configured sources: one client, one limiter, one source per enabled vendor."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from ccmon.config.env_names import env_name
from ccmon.config.load import load_settings
from ccmon.config.secrets import resolve_secret
from ccmon.config.settings import AloSettings, EvoSettings, Settings, SourceSettings
from ccmon.errors import ConfigError
from ccmon.http import RateLimiter, RetryPolicy, SourceClient
from ccmon.http.auth import BasicAuth, TokenAuth
from ccmon.http.shared_budget import SharedBudget
from ccmon.sources.alo.source import AloSource
from ccmon.sources.base import Clock, Source
from ccmon.sources.ccai.source import CcaiSource
from ccmon.sources.evo.source import EvoSource

SOURCE_NAMES = ("ccai", "alo", "evo")
DOCUMENTED_RATE = {"ccai": 1.0}
"""Requests per second a vendor documents ("1 request per second per customer" for CCAI)."""


def rate_warnings(settings: Settings) -> list[str]:
    """One line per enabled source whose rate or burst is above what its vendor documents."""
    lines = []
    for name, documented in DOCUMENTED_RATE.items():
        section: SourceSettings = getattr(settings, name)
        if section.is_enabled and (section.rate > documented or section.burst > 1):
            lines.append(
                f"ccmon: warning: {name}.rate = {section.rate:g}, burst = {section.burst} is above "
                f"the {documented:g} request/second {name.upper()} documents; ccmon slows down "
                "after a 429 and speeds up again slowly (keep it only if your account allows more)"
            )
    return lines


def _client(
    name: str,
    settings: SourceSettings,
    auth: httpx.Auth,
    hint: str,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
    identity: str,
    documented: float | None = None,
) -> SourceClient:
    """``identity`` names the account (the CCAI username, else the token): requests of every
    ccmon process on this machine with the same one share its budget (hashed, never shown)."""
    assert settings.base_url is not None
    limiter = RateLimiter(
        settings.rate,
        settings.burst,
        documented_rate=documented,
        shared=SharedBudget.for_account(name, settings.base_url, identity),
    )
    return SourceClient(
        name,
        settings.base_url,
        limiter=limiter,
        auth=auth,
        timeout_s=settings.timeout,
        retry=retry,
        transport=transport,
        auth_hint=hint,
    )


def _need(section: str, settings: SourceSettings) -> str:
    if settings.base_url is None:
        raise ConfigError(
            f"{section} is enabled but has no base_url; set {env_name(section, 'base_url')} "
            f"or {section}.base_url in the config"
        )
    token = settings.resolve_token(section)
    if token is None:
        raise ConfigError(
            f"{section} has no token; set {env_name(section, 'token')} or {section}.token_command"
        )
    return token


def _token_client(
    name: str,
    settings: AloSettings | EvoSettings,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
    documented: float | None,
) -> SourceClient:
    """A client that sends ``<auth_header>: <auth_scheme> <token>`` (ALO and Evo)."""
    token = _need(name, settings)
    if not token.isascii():
        raise ConfigError(
            f"{name}: the token contains a character that is not ASCII, which cannot travel "
            f"in a header; check {env_name(name, 'token')} or {name}.token_command"
        )
    auth = TokenAuth(token, settings.auth_header, settings.auth_scheme)
    hint = f"check {env_name(name, 'token')} and {name}.auth_header/auth_scheme"
    return _client(name, settings, auth, hint, transport, retry, token, documented)


def _evo_client(
    evo: EvoSettings,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
    documented: float | None,
) -> SourceClient:
    """Evo signs in with a user's name and password (HTTP Basic, as ServiceStack takes it)
    when ``evo.username`` is set, else with the API token like ALO."""
    if evo.username is None:
        return _token_client("evo", evo, transport, retry, documented)
    if evo.base_url is None:
        _need("evo", evo)  # says what is missing
    password = resolve_secret("evo", "password", evo.password, evo.password_command)
    if password is None:
        raise ConfigError(
            "evo.username is set but there is no password; set CCMON_EVO_PASSWORD or "
            "evo.password_command (or unset the user name to use an API token)"
        )
    hint = "check CCMON_EVO_USERNAME and CCMON_EVO_PASSWORD (or evo.password_command)"
    auth = BasicAuth(evo.username, password)
    return _client("evo", evo, auth, hint, transport, retry, evo.username, documented)


def build_sources(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    now: Clock | None = None,
    documented_rates: dict[str, float] | None = None,
) -> list[Source]:
    """One :class:`Source` per enabled section, in the order ccai, alo, evo.

    ``now`` replaces the system clock for request time windows (a simulator whose clock is
    not today's); ``documented_rates`` the vendors' :data:`DOCUMENTED_RATE` (a simulated
    account that allows more)."""
    documented = {**DOCUMENTED_RATE, **(documented_rates or {})}
    sources: list[Source] = []
    ccai, alo, evo = settings.ccai, settings.alo, settings.evo
    if ccai.is_enabled:
        token = _need("ccai", ccai)
        hint = "check CCMON_CCAI_USERNAME (the subdomain) and CCMON_CCAI_TOKEN"
        auth = BasicAuth(ccai.basic_username, token)
        client = _client(
            "ccai", ccai, auth, hint, transport, retry, ccai.basic_username, documented.get("ccai")
        )
        sources.append(
            CcaiSource(
                client,
                sla_minutes=ccai.sla_minutes,
                sla_channels=ccai.sla_channels,
                history_minutes=ccai.history_minutes,
                page_size=ccai.page_size,
                intervals=ccai.intervals,
                now=now,
            )
        )
    if alo.is_enabled:
        sources.append(
            AloSource(
                _token_client("alo", alo, transport, retry, documented.get("alo")),
                periods_lookback_days=alo.periods_lookback_days,
                intervals=alo.intervals,
                now=now,
            )
        )
    if evo.is_enabled:
        sources.append(
            EvoSource(
                _evo_client(evo, transport, retry, documented.get("evo")),
                account_ids=evo.account_ids,
                history_minutes=evo.history_minutes,
                page_size=evo.page_size,
                intervals=evo.intervals,
                now=now,
            )
        )
    return sources


def feed_names(settings: Settings) -> dict[str, list[str]]:
    """The feeds each source polls, asked of the sources themselves (nothing is sent)."""

    def idle(name: str) -> SourceClient:
        return SourceClient(name, "http://feeds.invalid", limiter=RateLimiter(1.0))

    sources: list[Source] = [
        CcaiSource(idle("ccai"), sla_channels=settings.ccai.sla_channels),
        AloSource(idle("alo")),
        EvoSource(idle("evo")),
    ]
    return {source.name: [feed.name for feed in source.feeds()] for source in sources}


def checked_settings(
    path: Path | None = None,
    *,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """The settings a command runs on: ``load_settings`` with every ``intervals`` table checked
    against the feeds its source polls (a misspelt feed would be ignored without a word)."""
    return load_settings(path, profile=profile, env=env, overrides=overrides, feeds=feed_names)
