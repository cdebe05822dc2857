"""Text whose width terminals disagree on never reaches a table.

Found with the hostile-data fault in tmux: rows holding ``👩🏽‍💻`` or ``❤️`` were drawn one
or two cells off, and the ticking "in state" column was then repainted at the wrong place
(``4:1010``). Rich, which lays the table out, and the terminal, which draws it, count those
characters differently; measured with tmux 3.3a against Rich's ``cell_len``:

    ❤️  (U+2764 U+FE0F)   tmux 1 cell,  Rich 2
    ☎️, ✔️, 1️⃣           tmux 1,       Rich 2
    👍🏿 (U+1F44D U+1F3FF) tmux 4,       Rich 2
    🏽  (a lone modifier)  tmux 2,       Rich 0

Emoji-aware terminals agree with Rich and older ones with tmux, so no width is right for
everyone. ``clean`` drops variation selectors and skin-tone modifiers: ``❤️`` shows as ``❤``
and ``👍🏿`` as ``👍``, whose widths every terminal agrees on.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from ccmon.text import clean


@pytest.mark.parametrize(
    ("raw", "shown", "cells"),
    [
        ("❤️", "❤", 1),
        ("Ana ☎️ ✔️", "Ana ☎ ✔", 7),
        ("👍🏿 ok", "👍 ok", 5),
        ("👩🏽‍💻 Priya", "👩💻 Priya", 10),
        ("\U0001f3fd", None, 0),
    ],
)
def test_characters_of_disputed_width_are_dropped(raw: str, shown: str | None, cells: int) -> None:
    assert clean(raw) == shown
    assert cell_len(shown or "") == cells


def test_text_without_them_is_untouched() -> None:
    for text in ("Ingrid Müller", "客服中心 東京", "مركز الاتصال", "🇯🇵 ⌚ 😀", "e\u0301"):
        assert clean(text) == text
