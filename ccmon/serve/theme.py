"""The page's colours from ccmon's theme files (the same ``themes/*.toml`` as the terminal,
and the user's own), as CSS custom properties."""

from __future__ import annotations

import functools

from textual.color import Color
from textual.theme import Theme

from ccmon.ui.themes import VARIABLE_DEFAULTS, load_themes

DARK, LIGHT = "dark", "light"
_BASE = {"background": "#101418", "foreground": "#E4E4E4", "surface": "#161B22"}
_VARIABLES = ("muted", "good", "warn", "bad", "border", "flash", "forecast")


def _hex(value: str) -> str:
    """Re-spelled by the colour parser: nothing but ``#rrggbb`` reaches the CSS."""
    return Color.parse(value).hex


def _properties(theme: Theme) -> str:
    values = {
        "bg": theme.background or _BASE["background"],
        "fg": theme.foreground or _BASE["foreground"],
        "surface": theme.surface or theme.background or _BASE["surface"],
    }
    for name in _VARIABLES:
        key = f"ccmon-{name}"
        values[name] = theme.variables.get(key, VARIABLE_DEFAULTS[key])
    return "".join(f"--{k}:{_hex(v)};" for k, v in values.items())


@functools.lru_cache(maxsize=16)
def theme_css(name: str | None) -> str | None:
    """A theme by name; without one, dark, or light where the screen prefers it. None: no
    theme has that name."""
    themes = load_themes()
    if name:
        theme = themes.get(name)
        return None if theme is None else f":root{{{_properties(theme)}}}\n"
    css = f":root{{{_properties(themes[DARK])}}}\n"
    if LIGHT in themes:
        css += f"@media (prefers-color-scheme: light){{:root{{{_properties(themes[LIGHT])}}}}}\n"
    return css
