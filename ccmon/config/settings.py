"""The settings model. Every field has a docstring: ``ccmon config init`` prints them.

Secrets are ``SecretStr`` (masked in reprs and ``config show``) and are never required in the
file: ``CCMON_<SOURCE>_TOKEN`` or a ``token_command`` such as ``pass show ccai`` work too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from ccmon.config.secrets import resolve_secret, tidy_secret
from ccmon.domain.policy import AlertPolicy, AlertRule, SlaPolicy, Thresholds

PaneName = Literal["agents", "queues", "sla", "interactions", "board"]
ALL_PANES: tuple[PaneName, ...] = get_args(PaneName)

Seconds = Annotated[float, Field(gt=0, le=86_400)]


def _tidy(value: SecretStr | None, what: str) -> SecretStr | None:
    """A secret without surrounding whitespace (None if nothing is left); refused, by name,
    if it still holds a control character."""
    if value is None:
        return None
    text = tidy_secret(value.get_secret_value(), what)
    return SecretStr(text) if text else None


def _header_word(value: str, what: str) -> str:
    """A header name or auth scheme: printable ASCII without spaces, or empty."""
    value = value.strip()
    if any(not ("!" <= ch <= "~") for ch in value):
        raise ValueError(f"the {what} must be printable ASCII without spaces")
    return value


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
    """A command whose first line of output is the token, e.g. ``pass show ccmon/ccai``."""
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

    @field_validator("token")
    @classmethod
    def _tidy_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _tidy(value, "token")

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

    def resolve_token(self, section: str) -> str | None:
        """The token: ``token`` (file or ``CCMON_<SOURCE>_TOKEN``), else the first line its
        ``token_command`` prints, else None."""
        return resolve_secret(section, "token", self.token, self.token_command)


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


class HeaderTokenSettings(SourceSettings):
    """A source whose token travels in a header of its own (ALO, Evo)."""

    auth_header: str = "Authorization"
    """Header that carries the token."""
    auth_scheme: str = "Bearer"
    """Word before the token in that header; empty for a bare token."""

    @field_validator("auth_header")
    @classmethod
    def _header_name(cls, value: str) -> str:
        name = _header_word(value, "header name")
        if not name:
            raise ValueError("must name a header, e.g. Authorization")
        return name

    @field_validator("auth_scheme")
    @classmethod
    def _scheme(cls, value: str) -> str:
        return _header_word(value, "scheme")


class AloSettings(HeaderTokenSettings):
    """ALO.ai Platform API: periods and their action board."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        **SourceSettings.EXAMPLES,
        "base_url": "https://api.alo.ai/v1",
        "token_command": "pass show ccmon/alo",
        "intervals": {"actions": 10, "periods": 300},
    }

    periods_lookback_days: Annotated[int, Field(ge=1, le=3660)] = 40
    """Periods that ended up to this many days ago are listed."""


class EvoSettings(HeaderTokenSettings):
    """Evo Voice portal activity (sessions)."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        **SourceSettings.EXAMPLES,
        "base_url": "https://evo.example.com/api",
        "token_command": "pass show ccmon/evo",
        "intervals": {"sessions": 3},
        "username": "supervisor@acme.example",
        "password": "",
        "password_command": "pass show ccmon/evo-password",
    }

    username: str | None = None
    """Sign in as this user with HTTP Basic (and ``password``) instead of an API token."""
    password: SecretStr | None = None
    """The user's password. Prefer ``CCMON_EVO_PASSWORD`` or ``password_command``."""
    password_command: str | None = None
    """A command whose first line of output is the password, e.g. ``pass show ccmon/evo``."""
    account_ids: list[str] = Field(default_factory=list)
    """Accounts to read, each sent as ``AccountId``, e.g. ``["6a3f…", "7b40…"]``. Empty: the
    accounts the login reaches by default."""

    @field_validator("username")
    @classmethod
    def _plain_username(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if any(not ch.isprintable() for ch in value):
            raise ValueError("the user name contains a control character")
        return value or None

    @field_validator("password")
    @classmethod
    def _tidy_password(cls, value: SecretStr | None) -> SecretStr | None:
        return _tidy(value, "password")

    @field_validator("account_ids")
    @classmethod
    def _account_ids(cls, value: list[str]) -> list[str]:
        ids: list[str] = []
        for raw in value:
            account = raw.strip()
            if not account or any(not ("!" <= ch <= "~") for ch in account):
                raise ValueError(f"account ids are printable ASCII without spaces: {raw!r:.40}")
            if account not in ids:
                ids.append(account)
        return ids

    history_minutes: Annotated[int, Field(ge=1, le=1440)] = 60
    """How far back ended sessions are listed."""
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    """``CountPerPage`` for the activity list."""


_SLA = SlaPolicy()
_LEVELS = Thresholds()
_ALERTS = AlertPolicy()


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
    flash_s: Annotated[float, Field(gt=0, le=60)] = 3.0
    """Seconds a changed value stays highlighted (``--flash``)."""
    mask_pii: bool = False
    """Mask caller numbers, e-mails and customer names (``--mask-pii``; always on in wallboard)."""
    mouse: bool = True
    """Let ccmon use the mouse; false leaves it to the terminal, for text selection over SSH and
    tmux (``--no-mouse``)."""
    refresh_s: Annotated[float, Field(ge=0.1, le=60)] = 1.0
    """Seconds between screen refreshes; larger is kinder to slow SSH links (``--refresh``)."""
    panes: Annotated[list[PaneName], Field(min_length=1)] = Field(
        default_factory=lambda: list(ALL_PANES)
    )
    """Panes to show, e.g. ``["agents", "queues"]`` for a team lead's small window."""
    export_dir: Path | None = None
    """Directory ``e`` writes its CSV files to (``~`` allowed). Unset: where ccmon started."""

    @field_validator("export_dir")
    @classmethod
    def _a_directory(cls, value: Path | None) -> Path | None:
        if value is None or str(value) == "":
            return None
        path = value.expanduser()
        if path.exists() and not path.is_dir():
            raise ValueError("is a file, not a directory")
        return path


class AlertSettings(_Section):
    """``[alerts]`` in the config file."""

    longest_wait_s: float = Field(_ALERTS.longest_wait_s, gt=0)
    """Alert when any queue's longest wait exceeds this many seconds."""
    sl_below_pct: float = Field(_ALERTS.sl_below_pct, gt=0, le=100)
    """Alert when the computed service level drops below this percentage."""
    waiting_above: int = Field(_ALERTS.waiting_above, gt=0)
    """Alert when more contacts than this wait on the whole floor."""
    available_below: int = Field(_ALERTS.available_below, gt=0)
    """Alert when fewer agents than this are available while contacts wait."""
    source_down_s: float = Field(_ALERTS.source_down_s, gt=0)
    """Alert when a source has been unreachable or refusing credentials this long."""
    action_open_min: float = Field(_ALERTS.action_open_min, gt=0)
    """Alert when an ALO action has been open (not closed or canceled) this many minutes."""
    asa_above_s: float = Field(_ALERTS.asa_above_s, gt=0)
    """Alert when the average speed of answer (SLA window) exceeds this many seconds."""
    abandon_above_pct: float = Field(_ALERTS.abandon_above_pct, gt=0, le=100)
    """Alert when more than this percentage of contacts (SLA window) were abandoned."""
    off: list[AlertRule] = Field(default_factory=list)
    """Rules to switch off, e.g. ``off = ["waiting_above"]``."""
    clear_after_s: float = Field(_ALERTS.clear_after_s, ge=0)
    """An alert clears only once its value has been back inside for this many seconds."""
    bell: bool = False
    """Ring the terminal bell when an alert is raised."""
    command: SecretStr | None = None
    """A command to run on every raise and clear (no shell; CCMON_ALERT_NAME, _STATE, _VALUE
    and _MESSAGE are in its environment), e.g. a script that posts to a chat webhook. Kept
    secret like a token: a webhook URL in it often is one."""

    def policy(self) -> AlertPolicy:
        return AlertPolicy(**{**self.model_dump(), "off": frozenset(self.off)})


class HubSettings(_Section):
    """``ccmon hub`` publishes the floor to Redis; every other ccmon with ``url`` set reads it
    from there and sends no vendor request (``--hub URL`` on the command line)."""

    url: str | None = None
    """``redis://[user@]host:6379/0`` (``rediss://`` for TLS). A password in it is never
    shown; prefer ``CCMON_HUB_PASSWORD`` or ``password_command``."""
    password: SecretStr | None = None
    """The Redis password (ACL user's), if not in the URL."""
    password_command: str | None = None
    """A command whose first line of output is the Redis password."""
    prefix: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] = (
        "ccmon"
    )
    """All of this floor's keys start with it: several floors or accounts share one Redis."""
    mask_pii: bool = False
    """Mask customer identifiers before they reach Redis (for a Redis many people read)."""
    lease_ttl_s: Annotated[float, Field(ge=2, le=300)] = 10.0
    """Two hubs on one prefix: the one holding the lease polls; the other takes over within
    this many seconds of the leader's death. The leader stops at half of it without renewal."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "url": "redis://redis.example.internal:6379/0",
        "password": "",
        "password_command": "pass show ccmon/redis",
    }

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value


HistoryInterval = Literal[15, 30, 60]


class HistorySettings(_Section):
    """The day so far, kept in SQLite: contacts, a floor sample a minute and agent states,
    recorded by every ccmon that polls (the screen, ``watch``, the hub); read by
    ``ccmon report``."""

    enabled: bool = True
    """Record the history (a hub viewer and ``snapshot`` never write it)."""
    interval_min: HistoryInterval = 15
    """Minutes per report interval: 15, 30 or 60."""
    retention_days: Annotated[int, Field(ge=1, le=3660)] = 35
    """Days kept; older contacts, samples and agent states are deleted."""
    path: Path | None = None
    """The history file (``~`` allowed). Unset: see ``ccmon history path`` (the platform's
    user data directory)."""
    keep_customer: bool = False
    """Keep each contact's customer identifier (caller number, e-mail, name) too; off: none
    is written."""

    EXAMPLES: ClassVar[dict[str, Any]] = {"path": "~/ccmon-history.sqlite3"}

    @field_validator("interval_min", mode="before")
    @classmethod
    def _minutes(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value

    @field_validator("path")
    @classmethod
    def _a_file(cls, value: Path | None) -> Path | None:
        if value is None or str(value) == "":
            return None
        path = value.expanduser()
        if path.is_dir():
            raise ValueError("is a directory; give the file's path")
        return path


class ServeSettings(_Section):
    """``ccmon serve``: the floor for browsers and Prometheus, over HTTP. On loopback it needs
    nothing; on any other address every request must carry ``token`` (``Authorization:
    Bearer``, or ``?token=`` in a TV's URL)."""

    token: SecretStr | None = None
    """The token clients send; required to bind anything but loopback (CCMON_SERVE_TOKEN)."""
    token_command: str | None = None
    """A command whose first line of output is the token."""

    EXAMPLES: ClassVar[dict[str, Any]] = {"token": "", "token_command": "pass show ccmon/serve"}

    @field_validator("token")
    @classmethod
    def _tidy_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _tidy(value, "token")


class Settings(_Section):
    ccai: CcaiSettings = Field(default_factory=CcaiSettings)
    alo: AloSettings = Field(default_factory=AloSettings)
    evo: EvoSettings = Field(default_factory=EvoSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    thresholds: ThresholdSettings = Field(default_factory=ThresholdSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    hub: HubSettings = Field(default_factory=HubSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
