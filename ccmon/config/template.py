"""The commented config file ``ccmon config init`` writes, generated from the settings models.

Every setting appears commented out (``#key = value``) with its docstring above it and its
default (or, where there is none, an example) as the value, so the file loads to exactly the
defaults and a setting is changed by removing one ``#``.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from pydantic import BaseModel, SecretStr

from ccmon.config.env_names import env_name
from ccmon.config.settings import Settings

WIDTH = 96
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

HEADER = """\
# ccmon configuration, written by `ccmon config init`.
#
# Every setting is optional; each is shown commented out with its default (or an example).
# Remove the leading '#' to change one. Where a value comes from, lowest first:
#   built-in default < this file < [profiles.NAME] (--profile NAME or CCMON_PROFILE)
#   < CCMON_<SECTION>_<KEY> environment variables < command-line flags.
# Keep tokens out of this file: set CCMON_<SOURCE>_TOKEN or a token_command instead.
# `ccmon config show` prints the effective settings (secrets masked); `ccmon doctor` checks
# that every configured source answers.
"""

PROFILES = """\
# Profiles, for several tenants or sites: `ccmon --profile prod-eu` lays the tables below
# over the sections above (only what a profile sets changes).
#[profiles.prod-eu.ccai]
#base_url = "https://acme-eu.ujet.co/manager/api/v1"
#token_command = "pass show ccmon/ccai-eu"
"""


def toml_value(value: Any) -> str:
    """``value`` as a TOML literal (booleans, numbers, strings, lists, inline tables)."""
    if isinstance(value, SecretStr):
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(f"no TOML spelling for {type(value).__name__}")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _comment(text: str) -> list[str]:
    text = " ".join(text.replace("``", "`").split())
    return [f"# {line}" for line in textwrap.wrap(text, WIDTH - 2)]


def _section(name: str, model: type[BaseModel]) -> list[str]:
    lines = [f"[{name}]"]
    if model.__doc__:
        lines += _comment(model.__doc__.strip().split("\n\n")[0])
    examples: dict[str, Any] = getattr(model, "EXAMPLES", {})
    for key, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        value = examples.get(key, "") if default is None or default == {} else default
        setting = f"#{key} = {toml_value(value)}"
        if not isinstance(value, dict):
            setting += f"  # {env_name(name, key)}"
        lines += ["", *_comment(field.description or ""), setting]
    return lines


def render_template() -> str:
    parts = [HEADER]
    for name, field in Settings.model_fields.items():
        model = field.annotation
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        parts.append("\n".join(_section(name, model)) + "\n")
    parts.append(PROFILES)
    return "\n".join(parts)
