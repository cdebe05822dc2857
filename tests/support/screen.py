"""What the terminal would receive from a headless app: the composited screen, line by line."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from textual.app import App
from textual.strip import Strip

ALLOWED_FORMAT = frozenset("\u200d")
"""Zero-width joiner: Textual keeps it inside emoji sequences it draws itself (none here)."""


def screen_strips(app: App[None]) -> list[Strip]:
    """Every line of the current screen as Textual would paint it.

    Uses the compositor the way ``App.export_screenshot`` does (Textual has no public call
    that returns the strips themselves).
    """
    return app.screen._compositor.render_strips()


def screen_text(app: App[None]) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in screen_strips(app))


def unsafe_characters(text: str) -> list[str]:
    """Characters that must never come from data onto a terminal: C0/C1 controls (ESC, BEL,
    CSI ...), DEL, bidi overrides and other invisible format characters, line separators,
    and those whose width terminals disagree on (variation selectors, skin-tone modifiers:
    tmux 3.3 gives 👍🏽 four cells where Rich counts two)."""
    bad: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if (
            category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
            or (category == "Cf" and char not in ALLOWED_FORMAT)
            or "\ufe00" <= char <= "\ufe0f"
            or "\U0001f3fb" <= char <= "\U0001f3ff"
        ):
            bad.append(f"U+{ord(char):04X}")
    return bad


def screen_problems(app: App[None]) -> list[str]:
    """Lines with unsafe characters or a width other than the screen's: both would make the
    terminal show something other than what ccmon drew."""
    width = app.size.width
    problems: list[str] = []
    for y, strip in enumerate(screen_strips(app)):
        text = "".join(segment.text for segment in strip)
        bad = unsafe_characters(text)
        if bad:
            problems.append(f"line {y}: {', '.join(sorted(set(bad)))} in {text[:60]!r}")
        if cell_len(text) != width:
            problems.append(f"line {y}: {cell_len(text)} cells, not {width}: {text[:60]!r}")
    return problems
