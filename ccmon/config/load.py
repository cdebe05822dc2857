"""Load settings: defaults < config file < profile < ``CCMON_*`` environment < flags.

A file that does not parse or a value that does not validate is an error naming the key,
the value and what is allowed; ccmon never falls back to defaults silently.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from ccmon.config import locations
from ccmon.config.settings import Settings
from ccmon.errors import ConfigError

ENV_PREFIX = "CCMON_"


def env_name(section: str, field: str) -> str:
    return f"{ENV_PREFIX}{section}_{field}".upper()


def _read_file(path: Path, explicit: bool) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
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
    """``CCMON_<SECTION>_<FIELD>`` for every scalar field of every section."""
    overrides: dict[str, Any] = {}
    for section, info in Settings.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field, finfo in model.model_fields.items():
            if finfo.annotation is not None and "dict" in str(finfo.annotation):
                continue
            name = env_name(section, field)
            if name in env and env[name] != "":
                value: Any = env[name]
                if "list" in str(finfo.annotation):
                    value = [part.strip() for part in value.split(",") if part.strip()]
                overrides.setdefault(section, {})[field] = value
    return overrides


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"])
    value = error.get("input")
    if error["type"] == "extra_forbidden":
        return f"unknown setting {where!r}"
    shown = "***" if "token" in where else repr(value)
    return f"{where} = {shown}: {error['msg'].rstrip('.')}"


def load_settings(
    path: Path | None = None,
    *,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    env = os.environ if env is None else env
    explicit = path is not None or bool(env.get("CCMON_CONFIG"))
    file_path = path or Path(env.get("CCMON_CONFIG") or locations.config_file())
    data = _read_file(file_path, explicit)
    profiles = data.pop("profiles", {})
    profile = profile or env.get("CCMON_PROFILE") or None
    if profile is not None:
        if not isinstance(profiles, dict) or profile not in profiles:
            known = ", ".join(sorted(profiles)) if isinstance(profiles, dict) else ""
            raise ConfigError(
                f"profile {profile!r} is not in {file_path}"
                + (f" (known: {known})" if known else " (it has no [profiles.*] tables)")
            )
        data = _merge(data, profiles[profile])
    data = _merge(data, _env_overrides(env))
    data = _merge(data, overrides or {})
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"invalid setting {_describe(errors[0])}{more} [{file_path}]") from None


def masked(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data with every secret replaced by ``***``."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "***" if value.get_secret_value() else None
        if isinstance(value, BaseModel):
            return {k: walk(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    result: dict[str, Any] = walk(settings)
    return result
