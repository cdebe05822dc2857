"""Theme files: TOML in the project's ``themes/`` (shipped with ccmon) and in the user's
config dir (``~/.config/ccmon/themes/*.toml``), which wins on a name clash."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from textual import constants
from textual.color import Color, ColorParseError
from textual.theme import Theme

from ccmon.config import locations
from ccmon.errors import ConfigError

DEFAULT_THEME = "dark"
COLOR_KEYS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)

# Every variable the ccmon CSS uses, with the dark theme's values: a user theme may set only
# some of them.
VARIABLE_DEFAULTS = {
    "ccmon-muted": "#8B949E",
    "ccmon-available": "#5FD787",
    "ccmon-in-call": "#5FAFFF",
    "ccmon-in-chat": "#AF87FF",
    "ccmon-wrap-up": "#D7AF5F",
    "ccmon-away": "#D787AF",
    "ccmon-offline": "#6C7480",
    "ccmon-good": "#5FD787",
    "ccmon-warn": "#FFB454",
    "ccmon-bad": "#FF5F5F",
    "ccmon-forecast": "#A5B8D8",
    "ccmon-flash": "#3A4B1E",
    "ccmon-new": "#5FD787",
    "ccmon-gone": "#6C7480",
    "ccmon-cursor": "#242C38",
    "ccmon-cursor-focus": "#2F3D52",
    "ccmon-border": "#3A4452",
    "ccmon-border-focus": "#4EA1FF",
}


def terminal_theme(name: str, color_system: str | None = None) -> str:
    """The default theme on a 16-colour terminal (``TEXTUAL_COLOR_SYSTEM=standard``) is the
    ansi one: Textual would round the dark theme's purple, gold and pink to the same white, so
    In chat, Wrap-up and Away would look alike. A theme the user names is kept."""
    system = color_system if color_system is not None else constants.COLOR_SYSTEM
    return "ansi" if name == DEFAULT_THEME and system == "standard" else name


def builtin_dir() -> Path:
    """``ccmon/themes`` inside an installed wheel, else ``themes/`` of a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "themes"
    return packaged if packaged.is_dir() else packaged.parent.parent / "themes"


def user_dir() -> Path:
    return locations.config_file().parent / "themes"


def parse_theme(path: Path) -> Theme:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"theme file {path} cannot be read: {exc}") from None
    name = str(data.get("name") or path.stem)
    colors = {k: str(data[k]) for k in COLOR_KEYS if k in data}
    variables = {str(k): str(v) for k, v in dict(data.get("variables", {})).items()}
    if "primary" not in colors:
        raise ConfigError(f'theme file {path} needs at least primary = "#rrggbb"')
    for key, value in [
        *colors.items(),
        *((k, v) for k, v in variables.items() if k.startswith("ccmon-")),
    ]:
        try:
            Color.parse(value)
        except ColorParseError:
            raise ConfigError(f"theme {name}: {key} = {value!r} is not a colour") from None
    unknown = set(data) - {*COLOR_KEYS, "name", "dark", "ansi", "variables"}
    if unknown:
        raise ConfigError(f"theme {name}: unknown key(s) {', '.join(sorted(unknown))}")
    return Theme(
        name=f"ccmon-{name}",
        primary=colors["primary"],
        secondary=colors.get("secondary"),
        warning=colors.get("warning"),
        error=colors.get("error"),
        success=colors.get("success"),
        accent=colors.get("accent"),
        foreground=colors.get("foreground"),
        background=colors.get("background"),
        surface=colors.get("surface"),
        panel=colors.get("panel"),
        boost=colors.get("boost"),
        dark=bool(data.get("dark", True)),
        ansi=bool(data.get("ansi", False)),
        variables=variables,
    )


def load_themes(extra_dirs: tuple[Path, ...] = ()) -> dict[str, Theme]:
    """Themes by short name (``dark``, ``light`` ...)."""
    themes: dict[str, Theme] = {}
    for folder in (builtin_dir(), user_dir(), *extra_dirs):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                theme = parse_theme(path)
                themes[theme.name.removeprefix("ccmon-")] = theme
    return themes
