"""Make strings from vendor APIs safe to show: data, never markup or terminal control.

Callers, chat customers and whoever names a queue control part of what ccmon prints. Every
string that comes from an API passes through :func:`clean` once, when it is mapped to a
domain record, so no pane, table, CSV or log line downstream can be made to emit escape
sequences (ANSI colours, OSC 52 clipboard writes, title changes), reorder text with bidi
overrides or hide text with zero-width characters. Rich markup needs no escaping here: the
UI renders these strings as ``rich.text.Text``, never as markup.

It also holds :func:`duration` (and :func:`hms`), the one way a span of time is written: on
screen, in the replay's bar and in alert messages alike (the engine may import this module,
never the UI).
"""

from __future__ import annotations

import re
import unicodedata

MAX_LEN = 256
"""Longest string kept; a 10,000-character 'name' is an attack or a bug, not a name."""

_ELLIPSIS = "…"

# C0 and C1 controls (ESC, BEL, CSI 0x9b, OSC 0x9d ...), DEL and line/paragraph separators
# become spaces; every other "other" character (format: bidi overrides, zero-width ...;
# surrogates, private use, unassigned) is dropped outright.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"\s{2,}")
# Characters whose width terminals disagree on: variation selectors (❤️ takes one cell in
# tmux and xterm, two in Rich's tables) and emoji skin-tone modifiers (no cell to Rich, two
# to tmux). Either makes the rest of the line land where the terminal does not expect it,
# so partial redraws garble the row. They are dropped: ❤️ shows as ❤, 👍🏽 as 👍.
_UNSTABLE_WIDTH = re.compile("[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]")


def clean(value: object, max_len: int = MAX_LEN) -> str | None:
    """Return ``value`` as a single printable line, or None for None/empty.

    Escape sequences lose their ESC byte and so print as inert text; newlines and tabs become
    spaces; invisible and unassigned characters (category C*) such as bidi overrides are
    dropped.
    """
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if (
        text.isprintable()
        and len(text) <= max_len
        and (text.isascii() or not _UNSTABLE_WIDTH.search(text))
    ):
        return text or None
    text = _CONTROLS.sub(" ", text)
    text = _UNSTABLE_WIDTH.sub("", text)
    text = "".join(ch for ch in text if ch.isprintable() or unicodedata.category(ch)[0] != "C")
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_len:
        text = text[: max_len - 1] + _ELLIPSIS
    return text or None


def clean_or(value: object, default: str) -> str:
    """:func:`clean`, with ``default`` for missing values."""
    return clean(value) or default


DASH = "—"
"""A value that is not known (never a reassuring 0)."""


def duration(seconds: float | None) -> str:
    """``42s``, ``3:07``, ``1:02:03``, ``2d 03h``: short, fixed-ish width, sortable by eye."""
    if seconds is None:
        return DASH
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}:{s % 60:02d}"
    if s < 86_400:
        return hms(s)
    if s < 100 * 86_400:
        return f"{s // 86_400}d {s % 86_400 // 3600:02d}h"
    return ">99d"


def hms(seconds: float) -> str:
    """``0:03:07``, ``1:02:03``: hours always shown (a position in a recording)."""
    s = max(0, int(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%" if value >= 99.95 else f"{value:.1f}%"


def plural(n: float, word: str, words: str | None = None) -> str:
    """``1 contact``, ``3 contacts``."""
    return f"{n:,.0f} {word if round(n) == 1 else words or word + 's'}"
