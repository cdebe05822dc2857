"""The settings model. Every field has a docstring: ``ccmon config init`` prints them.

Secrets are ``SecretStr`` (masked in reprs and ``config show``) and are never required in the
file: ``CCMON_<SOURCE>_TOKEN`` or a ``token_command`` such as ``pass show ccai`` work too.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from ccmon.engine.alerts import AlertSettings
from ccmon.engine.metrics import SlaPolicy
from ccmon.ui.options import ALL_PANES, PaneName, Thresholds, UiOptions

Seconds = Annotated[float, Field(gt=0, le=86_400)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True, use_attribute_docstrings=True)

    EXAMPLES: ClassVar[dict[str, Any]] = {}
    """Values ``config init`` shows for settings that have no default."""


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
    """Poll interval per feed in seconds, e.g. ``{agent_status = 2.5}``; the README lists the
    feeds of each source and their default intervals."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "enabled": True,
        "token": "",
        "token_command": "pass show ccmon/<source>",
        "intervals": {},
    }

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

    EXAMPLES: ClassVar[dict[str, Any]] = {
        **SourceSettings.EXAMPLES,
        "base_url": "https://acme.ujet.co/manager/api/v1",
        "username": "acme",
        "token_command": "pass show ccmon/ccai",
        "intervals": {"agent_status": 2.5, "queue_status": 2.5, "calls": 30, "chats": 30},
    }

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

    EXAMPLES: ClassVar[dict[str, Any]] = {
        **SourceSettings.EXAMPLES,
        "base_url": "https://api.alo.ai/v1",
        "token_command": "pass show ccmon/alo",
        "intervals": {"actions": 10, "periods": 300},
    }

    auth_header: str = "Authorization"
    """Header that carries the token."""
    auth_scheme: str = "Bearer"
    """Word before the token in that header; empty for a bare token."""
    periods_lookback_days: Annotated[int, Field(ge=1, le=3660)] = 40
    """Periods that ended up to this many days ago are listed."""


class EvoSettings(SourceSettings):
    """Evo Voice portal activity (sessions)."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        **SourceSettings.EXAMPLES,
        "base_url": "https://evo.example.com/api",
        "token_command": "pass show ccmon/evo",
        "intervals": {"sessions": 3},
    }

    auth_header: str = "Authorization"
    """Header that carries the token."""
    auth_scheme: str = "Bearer"
    """Word before the token in that header; empty for a bare token."""
    history_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    """How far back ended sessions are listed."""
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    """``CountPerPage`` for the activity list."""


_SLA = SlaPolicy()
_LEVELS = Thresholds()
_UI = UiOptions()


class SlaSettings(_Section):
    """How ccmon computes service level itself (the formulas are in ccmon/engine/metrics.py)."""

    target_pct: Annotated[float, Field(gt=0, le=100)] = _SLA.target_pct
    """Service-level target in percent; the SL figures are coloured against it."""
    threshold_s: Annotated[int, Field(ge=1, le=3600)] = _SLA.threshold_s
    """A contact answered within this many seconds counts as within service level."""
    abandons_count: bool = _SLA.abandons_count
    """Count abandoned contacts (after the short-abandon grace) against service level."""
    short_abandon_s: Annotated[int, Field(ge=0, le=600)] = _SLA.short_abandon_s
    """Contacts abandoned within this many seconds are left out of every ratio."""
    window_min: Annotated[int, Field(ge=1, le=1440)] = _SLA.window_min
    """Contacts created within this many minutes make up the figures."""
    min_contacts: Annotated[int, Field(ge=1, le=10_000)] = _SLA.min_contacts
    """Below this many contacts in the window ccmon shows no service level (—), not 0 or 100 %."""

    def policy(self) -> SlaPolicy:
        return SlaPolicy(**self.model_dump())


class ThresholdSettings(_Section):
    """When a number on screen turns amber (warn) or red (bad)."""

    longest_wait_warn_s: Annotated[int, Field(ge=1, le=86_400)] = _LEVELS.longest_wait_warn_s
    """Longest wait in a queue, in seconds, that shows as a warning."""
    longest_wait_bad_s: Annotated[int, Field(ge=1, le=86_400)] = _LEVELS.longest_wait_bad_s
    """Longest wait in a queue, in seconds, that shows as bad."""
    waiting_warn: Annotated[int, Field(ge=1, le=100_000)] = _LEVELS.waiting_warn
    """Contacts waiting in a queue that show as a warning."""
    waiting_bad: Annotated[int, Field(ge=1, le=100_000)] = _LEVELS.waiting_bad
    """Contacts waiting in a queue that show as bad."""
    sl_warn_margin_pct: Annotated[float, Field(ge=0, le=100)] = _LEVELS.sl_warn_margin_pct
    """Service level below target plus this many points is a warning; below target is bad."""
    asa_warn_s: Annotated[int, Field(ge=1, le=86_400)] = _LEVELS.asa_warn_s
    """Average speed of answer, in seconds, that shows as a warning."""
    asa_bad_s: Annotated[int, Field(ge=1, le=86_400)] = _LEVELS.asa_bad_s
    """Average speed of answer, in seconds, that shows as bad."""
    abandon_warn_pct: Annotated[float, Field(gt=0, le=100)] = _LEVELS.abandon_warn_pct
    """Abandonment rate, in percent, that shows as a warning."""
    abandon_bad_pct: Annotated[float, Field(gt=0, le=100)] = _LEVELS.abandon_bad_pct
    """Abandonment rate, in percent, that shows as bad."""

    @model_validator(mode="after")
    def _warn_before_bad(self) -> Self:
        for warn, bad in (
            ("longest_wait_warn_s", "longest_wait_bad_s"),
            ("waiting_warn", "waiting_bad"),
            ("asa_warn_s", "asa_bad_s"),
            ("abandon_warn_pct", "abandon_bad_pct"),
        ):
            if getattr(self, warn) > getattr(self, bad):
                raise ValueError(
                    f"{warn} ({getattr(self, warn)}) must not exceed {bad} ({getattr(self, bad)})"
                )
        return self

    def thresholds(self) -> Thresholds:
        return Thresholds(**self.model_dump())


class UiSettings(_Section):
    """The live screen. Command-line flags override these."""

    theme: Annotated[str, Field(min_length=1)] = "dark"
    """dark, light, ansi, mono, or the name of a theme file of yours (``--theme``)."""
    flash_s: Annotated[float, Field(gt=0, le=60)] = _UI.flash_s
    """Seconds a changed value stays highlighted (``--flash``)."""
    mask_pii: bool = _UI.mask_pii
    """Mask caller numbers, e-mails and customer names (``--mask-pii``; always on in wallboard)."""
    mouse: bool = True
    """Let ccmon use the mouse; false leaves it to the terminal, for text selection over SSH and
    tmux (``--no-mouse``)."""
    refresh_s: Annotated[float, Field(ge=0.1, le=60)] = _UI.tick_s
    """Seconds between screen refreshes; larger is kinder to slow SSH links (``--refresh``)."""
    panes: Annotated[list[PaneName], Field(min_length=1)] = Field(
        default_factory=lambda: list(ALL_PANES)
    )
    """Panes to show, e.g. ``["agents", "queues"]`` for a team lead's small window."""


class Settings(_Section):
    ccai: CcaiSettings = Field(default_factory=CcaiSettings)
    alo: AloSettings = Field(default_factory=AloSettings)
    evo: EvoSettings = Field(default_factory=EvoSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    thresholds: ThresholdSettings = Field(default_factory=ThresholdSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
