"""The settings model. Every field has a docstring: ``ccmon config init`` prints them.

Secrets are ``SecretStr`` (masked in reprs and ``config show``) and are never required in the
file: ``CCMON_<SOURCE>_TOKEN`` or a ``token_command`` such as ``pass show ccai`` work too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from ccmon.engine.alerts import AlertSettings

Seconds = Annotated[float, Field(gt=0, le=86_400)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class SourceSettings(_Section):
    enabled: bool | None = None
    """Poll this source. Unset: on when ``base_url`` is set."""
    base_url: str | None = None
    """The API root as the vendor documents it (any host, port and path prefix)."""
    token: SecretStr | None = None
    """API token. Prefer the environment variable or ``token_command`` to the file."""
    token_command: str | None = None
    """A command whose standard output is the token, e.g. ``pass show ccmon/ccai``."""
    rate: Annotated[float, Field(gt=0, le=100)] = 1.0
    """Requests per second, every page and retry included."""
    burst: Annotated[int, Field(ge=1, le=100)] = 1
    """Requests that may go out at once after a quiet spell."""
    timeout: Seconds = 10.0
    """Seconds to wait for one answer before giving up on it."""
    intervals: dict[str, Seconds] = Field(default_factory=dict)
    """Poll interval per feed in seconds, e.g. ``{agent_status = 2.5}``; see ``ccmon feeds``."""

    @field_validator("base_url")
    @classmethod
    def _plain_http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        if "@" in value.split("/", 3)[2]:
            raise ValueError("must not contain credentials; use username/token settings")
        return value.rstrip("/")

    @property
    def is_enabled(self) -> bool:
        return self.base_url is not None if self.enabled is None else self.enabled


class CcaiSettings(SourceSettings):
    """Google CCAI Platform (formerly UJET) manager API v1."""

    username: str | None = None
    """Basic-auth user: the account's subdomain. Unset: the first label of the base URL host."""
    sla_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    """Look-back window of the vendor's SLA endpoints."""
    sla_channels: list[str] = Field(default_factory=lambda: ["call", "chat"])
    """Channels to ask SLA for (the API takes call or chat)."""
    history_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    """How far back the recent calls and chats go."""
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    """``per`` for paged endpoints."""

    @property
    def basic_username(self) -> str:
        if self.username:
            return self.username
        host = (self.base_url or "").split("/", 3)[2] if self.base_url else ""
        return host.split(":")[0].split(".")[0]


class AloSettings(SourceSettings):
    """ALO.ai Platform API: periods and their action board."""

    auth_header: str = "Authorization"
    """Header that carries the token."""
    auth_scheme: str = "Bearer"
    """Word before the token in that header; empty for a bare token."""
    periods_lookback_days: Annotated[int, Field(ge=1, le=3660)] = 40
    """Periods that ended up to this many days ago are listed."""


class EvoSettings(SourceSettings):
    """Evo Voice portal activity (sessions)."""

    auth_header: str = "Authorization"
    """Header that carries the token."""
    auth_scheme: str = "Bearer"
    """Word before the token in that header; empty for a bare token."""
    history_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    """How far back ended sessions are listed."""
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    """``CountPerPage`` for the activity list."""


class Settings(_Section):
    ccai: CcaiSettings = Field(default_factory=CcaiSettings)
    alo: AloSettings = Field(default_factory=AloSettings)
    evo: EvoSettings = Field(default_factory=EvoSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
