"""Build the configured sources: one client, one limiter, one source per enabled vendor."""

from __future__ import annotations

import httpx

from ccmon.config.secrets import resolve_secret, resolve_token
from ccmon.config.settings import AloSettings, EvoSettings, Settings, SourceSettings
from ccmon.errors import ConfigError
from ccmon.http import RateLimiter, RetryPolicy, SourceClient
from ccmon.http.auth import BasicAuth, TokenAuth
from ccmon.sources.alo.source import AloSource
from ccmon.sources.base import Clock, Source
from ccmon.sources.ccai.source import CcaiSource
from ccmon.sources.evo.source import EvoSource

SOURCE_NAMES = ("ccai", "alo", "evo")


def _client(
    name: str,
    settings: SourceSettings,
    auth: httpx.Auth,
    hint: str,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
) -> SourceClient:
    assert settings.base_url is not None
    return SourceClient(
        name,
        settings.base_url,
        limiter=RateLimiter(settings.rate, settings.burst),
        auth=auth,
        timeout_s=settings.timeout,
        retry=retry,
        transport=transport,
        auth_hint=hint,
    )


def _need(section: str, settings: SourceSettings) -> str:
    if settings.base_url is None:
        raise ConfigError(
            f"{section} is enabled but has no base_url; set CCMON_{section.upper()}_BASE_URL "
            f"or {section}.base_url in the config"
        )
    token = resolve_token(section, settings)
    if token is None:
        raise ConfigError(
            f"{section} has no token; set CCMON_{section.upper()}_TOKEN or {section}.token_command"
        )
    return token


def _token_client(
    name: str,
    settings: AloSettings | EvoSettings,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
) -> SourceClient:
    """A client that sends ``<auth_header>: <auth_scheme> <token>`` (ALO and Evo)."""
    token = _need(name, settings)
    if not token.isascii():
        raise ConfigError(
            f"{name}: the token contains a character that is not ASCII, which cannot travel "
            f"in a header; check CCMON_{name.upper()}_TOKEN or {name}.token_command"
        )
    auth = TokenAuth(token, settings.auth_header, settings.auth_scheme)
    hint = f"check CCMON_{name.upper()}_TOKEN and {name}.auth_header/auth_scheme"
    return _client(name, settings, auth, hint, transport, retry)


def _evo_client(
    evo: EvoSettings,
    transport: httpx.AsyncBaseTransport | None,
    retry: RetryPolicy | None,
) -> SourceClient:
    """Evo signs in with a user's name and password (HTTP Basic, as ServiceStack takes it)
    when ``evo.username`` is set, else with the API token like ALO."""
    if evo.username is None:
        return _token_client("evo", evo, transport, retry)
    if evo.base_url is None:
        _need("evo", evo)  # says what is missing
    password = resolve_secret("evo", "password", evo.password, evo.password_command)
    if password is None:
        raise ConfigError(
            "evo.username is set but there is no password; set CCMON_EVO_PASSWORD or "
            "evo.password_command (or unset the user name to use an API token)"
        )
    hint = "check CCMON_EVO_USERNAME and CCMON_EVO_PASSWORD (or evo.password_command)"
    return _client("evo", evo, BasicAuth(evo.username, password), hint, transport, retry)


def build_sources(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    now: Clock | None = None,
) -> list[Source]:
    """One :class:`Source` per enabled section, in the order ccai, alo, evo.

    ``now`` replaces the system clock for request time windows (a simulator whose clock is
    not today's)."""
    sources: list[Source] = []
    ccai, alo, evo = settings.ccai, settings.alo, settings.evo
    if ccai.is_enabled:
        token = _need("ccai", ccai)
        hint = "check CCMON_CCAI_USERNAME (the subdomain) and CCMON_CCAI_TOKEN"
        client = _client(
            "ccai", ccai, BasicAuth(ccai.basic_username, token), hint, transport, retry
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
                _token_client("alo", alo, transport, retry),
                periods_lookback_days=alo.periods_lookback_days,
                intervals=alo.intervals,
                now=now,
            )
        )
    if evo.is_enabled:
        sources.append(
            EvoSource(
                _evo_client(evo, transport, retry),
                account_ids=evo.account_ids,
                history_minutes=evo.history_minutes,
                page_size=evo.page_size,
                intervals=evo.intervals,
                now=now,
            )
        )
    return sources
