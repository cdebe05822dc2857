"""Numbers as large as the tile allows, in block characters: readable across a room.

Each character is a 3x5 pixel glyph; a pixel is two cells wide and one high (terminal cells
are about twice as tall as wide), scaled by the largest whole factor that fits. When even
the smallest size does not fit, the text is shown as it is.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    ".": (".", ".", ".", ".", "#"),
    "%": ("#.#", "..#", ".#.", "#..", "#.#"),
    "-": ("...", "...", "###", "...", "..."),
    "—": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
    # The units of ccmon's durations (42s, 2d 03h, >99d), so that ASA and waits draw in blocks.
    "s": ("...", ".##", "#..", "..#", "##."),
    "d": ("..#", "..#", ".##", "#.#", ".##"),
    "h": ("#..", "#..", "##.", "#.#", "#.#"),
    ">": ("#..", ".#.", "..#", ".#.", "#.."),
}
ROWS = 5


def render_big(text: str, width: int, height: int) -> list[str] | None:
    """``text`` drawn in blocks at the largest scale that fits, or None if none does."""
    if not text or any(ch not in GLYPHS for ch in text):
        return None
    glyphs = [GLYPHS[ch] for ch in text]
    columns = sum(len(g[0]) for g in glyphs)
    gaps = len(glyphs) - 1
    scale = 0
    while columns * 2 * (scale + 1) + gaps * (scale + 1) <= width and ROWS * (scale + 1) <= height:
        scale += 1
    if scale == 0:
        return None
    lines = []
    for row in range(ROWS):
        line = (" " * scale).join(
            "".join("█" * 2 * scale if px == "#" else " " * 2 * scale for px in g[row])
            for g in glyphs
        )
        lines.extend([line] * scale)
    return lines


class BigNumber(Widget):
    """Centred block digits filling the widget; plain bold text when they can't fit."""

    DEFAULT_CSS = """
    BigNumber { width: 1fr; height: 1fr; content-align: center middle; text-align: center; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value

    def show(self, value: str) -> None:
        if value != self.value:
            self.value = value
            self.refresh()

    def render(self) -> Text:
        lines = render_big(self.value, self.size.width, self.size.height)
        if lines is None:
            return Text(self.value, style="bold")
        return Text("\n".join(lines), no_wrap=True)
