"""Load settings: defaults < config file < profile < ``CCMON_*`` environment < flags.

A file that does not parse or a value that does not validate is an error naming the key,
the value and what is allowed; ccmon never falls back to defaults silently.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from ccmon.config import locations
from ccmon.config.env_names import env_name
from ccmon.config.settings import Settings, SourceSettings
from ccmon.errors import ConfigError

FeedNames = Callable[[Settings], Mapping[str, Sequence[str]]]
"""The feeds each source polls: an interval for any other feed is refused. Handed in by the
caller (``ccmon/commands/registry.py``), because the sources sit above the config."""


def config_path(path: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """``--config``, else ``CCMON_CONFIG``, else the platform's user config file."""
    env = os.environ if env is None else env
    return path or Path(env.get("CCMON_CONFIG") or locations.config_file())


def _read_file(path: Path, explicit: bool) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(
                f"config file {path} does not exist (`ccmon config init --config {path}` "
                "writes a commented one)"
            ) from None
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (Windows editors) is dropped
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 at byte {exc.start}: save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """``CCMON_<SECTION>_<FIELD>`` for every field of every section.

    Lists are comma-separated (``a,b``); tables are comma-separated ``key=value`` pairs
    (``CCMON_CCAI_INTERVALS=calls=10,chats=10``) that override only the keys they name.
    """
    overrides: dict[str, Any] = {}
    for section, info in Settings.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field, finfo in model.model_fields.items():
            name = env_name(section, field)
            if name in env and env[name] != "":
                value: Any = env[name]
                kind = _container(finfo.annotation)
                if kind is dict:
                    value = _pairs(name, value)
                elif kind is list:
                    value = [part.strip() for part in value.split(",") if part.strip()]
                overrides.setdefault(section, {})[field] = value
    return overrides


def _container(annotation: Any) -> type | None:
    """``dict`` or ``list`` for a field typed as one (optional or not), else None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        kinds = {_container(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    return origin if origin in (dict, list) else None


def _pairs(name: str, text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        key, sep, value = part.partition("=")
        if not part:
            continue
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(
                f"{name} must be comma-separated key=value pairs, e.g. "
                f"{name}=calls=10,chats=10; got {_shown(name, part)}"
            )
        pairs[key.strip()] = value.strip()
    return pairs


_SECRET_WORDS = ("token", "password", "secret")
_URL_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")
_URL_PASSWORD = re.compile(r"(?<=://)([^/@:\s]*):[^/\s]*@")
"""The password of ``scheme://user:password@host`` (a hub URL may hold one)."""


def _shown(where: str, value: Any) -> str:
    """The offending value as the message may show it: never a secret, never a whole table."""
    if any(word in where.lower() for word in _SECRET_WORDS):
        return "***"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, str):
        value = _URL_USERINFO.sub("***@", value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The settings model that holds the key at ``loc`` (None below a dict or list)."""
    model: type[BaseModel] = Settings
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _unknown_key(loc: Sequence[str | int]) -> str:
    where = ".".join(str(part) for part in loc)
    model = _model_at(loc)
    if model is None:
        return f"unknown setting {where}"
    valid = list(model.model_fields)
    parent = ".".join(str(part) for part in loc[:-1])
    known = f"{parent}.{{}}" if parent else "[{}]"
    close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
    if close:
        hint = f"did you mean {known.format(close[0])}?"
    else:
        hint = f"{parent or 'the file'} takes: {', '.join(valid)}"
    # The value is not shown: under a misspelt key it may well be a token.
    what = f"section [{where}]" if not parent else f"setting {where}"
    return f"unknown {what}; {hint}"


def _describe(error: Mapping[str, Any]) -> str:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return _unknown_key(loc)
    where = ".".join(str(part) for part in loc if not isinstance(part, int))
    where += "".join(f"[{part}]" for part in loc if isinstance(part, int))
    message = str(error["msg"]).removeprefix("Value error, ")
    if message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    value = error.get("input")
    shown = "" if isinstance(value, Mapping) else f" = {_shown(where, value)}"
    return f"invalid setting {where}{shown}: {message.rstrip('.')}"


class _Layers:
    """Where each value came from, so an error can say which file, profile or variable to fix."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.data: list[Mapping[str, Any]] = []

    def add(self, label: str, data: Mapping[str, Any]) -> None:
        self.labels.append(label)
        self.data.append(data)

    def origin(self, loc: Sequence[str | int]) -> str:
        """The last layer that set ``loc``: "in FILE", "from CCMON_X_Y", "from the command line"."""
        for label, data in zip(reversed(self.labels), reversed(self.data), strict=True):
            if _holds(data, loc):
                if label == "env" and len(loc) >= 2:
                    return f"from {env_name(str(loc[0]), str(loc[1]))}"
                return label
        return self.labels[0]


def _holds(data: Mapping[str, Any], loc: Sequence[str | int]) -> bool:
    """True if ``data`` sets the value at ``loc`` (or the list that holds it)."""
    node: Any = data
    for part in loc:
        if not isinstance(node, Mapping):
            return True
        if str(part) not in node:
            return False
        node = node[str(part)]
    return True


def load_settings(
    path: Path | None = None,
    *,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    feeds: FeedNames | None = None,
) -> Settings:
    env = os.environ if env is None else env
    file_path = config_path(path, env)
    data = _read_file(file_path, explicit=path is not None or bool(env.get("CCMON_CONFIG")))
    layers = _Layers()
    layers.add(f"in {file_path}", data)
    profiles = data.pop("profiles", {})
    profile = profile or env.get("CCMON_PROFILE") or None
    _check_other_profiles(data, profiles, profile, file_path, feeds)
    if profile is not None:
        data = _merge(data, _profile(profiles, profile, file_path))
        layers.add(f"in [profiles.{profile}] of {file_path}", profiles[profile])
    environment = _env_overrides(env)
    layers.add("env", environment)
    layers.add("from the command line", overrides or {})
    data = _merge(_merge(data, environment), overrides or {})
    return _validate(data, layers, feeds)


def _validate(data: Mapping[str, Any], layers: _Layers, feeds: FeedNames | None) -> Settings:
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        first = errors[0]
        message = f"{_describe(first)} ({layers.origin(first['loc'])}){more}"
        raise ConfigError(" ".join(message.split())) from None
    if feeds is not None:
        _check_intervals(settings, layers, feeds)
    return settings


def _check_intervals(settings: Settings, layers: _Layers, feeds: FeedNames) -> None:
    """An interval for a feed the source does not poll would be ignored without a word."""
    given = {
        name: set(section.intervals)
        for name in type(settings).model_fields
        if isinstance(section := getattr(settings, name), SourceSettings) and section.intervals
    }
    if not given:
        return
    for section, polled in feeds(settings).items():
        unknown = sorted(given.get(section, set()) - set(polled))
        if not unknown:
            continue
        loc = (section, "intervals", unknown[0])
        close = difflib.get_close_matches(unknown[0], polled, n=1, cutoff=0.6)
        hint = (
            f"did you mean {section}.intervals.{close[0]}?"
            if close
            else f"{section} polls: {', '.join(polled)}"
        )
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise ConfigError(f"unknown setting {'.'.join(loc)}; {hint} ({layers.origin(loc)}){more}")


def _check_other_profiles(
    data: Mapping[str, Any],
    profiles: Any,
    chosen: str | None,
    file_path: Path,
    feeds: FeedNames | None,
) -> None:
    """A mistake in a profile is found today, not the day someone switches to it."""
    if not isinstance(profiles, Mapping):
        return  # reported by _profile() when one is chosen
    for name in profiles:
        if name == chosen:
            continue
        layers = _Layers()
        layers.add(f"in {file_path}", data)
        overlay = _profile(profiles, name, file_path)
        layers.add(f"in [profiles.{name}] of {file_path}", overlay)
        _validate(_merge(dict(data), overlay), layers, feeds)


def _profile(profiles: Any, name: str, file_path: Path) -> Mapping[str, Any]:
    if not isinstance(profiles, Mapping):
        raise ConfigError(f"profiles in {file_path} must be tables: [profiles.{name}.ccai] ...")
    if name not in profiles:
        known = ", ".join(sorted(profiles))
        raise ConfigError(
            f"profile {name!r} is not in {file_path}"
            + (f" (known: {known})" if known else " (it has no [profiles.*] tables)")
        )
    chosen = profiles[name]
    if not isinstance(chosen, Mapping):
        raise ConfigError(
            f"profiles.{name} in {file_path} must be a table of sections, "
            f"e.g. [profiles.{name}.ccai]"
        )
    return chosen


def masked(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data with every secret replaced by ``***``."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "***" if value.get_secret_value() else None
        if isinstance(value, str):
            return _URL_PASSWORD.sub(r"\1:***@", value)
        if isinstance(value, BaseModel):
            return {k: walk(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, Path):
            return str(value)
        return value

    result: dict[str, Any] = walk(settings)
    return result
