"""API strings are data: no escape sequences, bidi tricks or runaway lengths survive."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ccmon.text import MAX_LEN, clean


def test_plain_text_is_untouched() -> None:
    assert clean("Ana Souza") == "Ana Souza"
    assert clean("日本語 😀 עברית") == "日本語 😀 עברית"
    assert clean("[bold red]x[/]") == "[bold red]x[/]"  # inert: the UI renders Text, not markup


def test_escape_sequences_lose_their_escape_byte() -> None:
    assert clean("a\x1b]52;c;ZXZpbA==\x07b") == "a ]52;c;ZXZpbA== b"
    assert clean("\x1b[31mred\x1b[0m") == "[31mred [0m"
    assert clean("\x9b31m") == "31m"
    assert clean("\x1b]0;pwned title\x07") == "]0;pwned title"


def test_bidi_and_zero_width_characters_are_removed() -> None:
    assert clean("abc\u202edcba") == "abcdcba"
    assert clean("zero\u200bwidth\ufeff") == "zerowidth"


def test_newlines_and_tabs_become_single_spaces() -> None:
    assert clean("line one\nline two\r\n\tend") == "line one line two end"


def test_long_strings_are_cut_with_an_ellipsis() -> None:
    cleaned = clean("x" * 10_000)
    assert cleaned is not None
    assert len(cleaned) == MAX_LEN
    assert cleaned.endswith("…")


def test_missing_and_empty_are_none() -> None:
    assert clean(None) is None
    assert clean("") is None
    assert clean("\x1b") is None
    assert clean(42) == "42"


@given(st.text())
def test_output_is_always_one_printable_line(value: str) -> None:
    cleaned = clean(value)
    if cleaned is not None:
        assert all(ch.isprintable() or ch.isspace() for ch in cleaned)
        assert "\n" not in cleaned
        assert "\x1b" not in cleaned
        assert "\x07" not in cleaned
        assert len(cleaned) <= MAX_LEN
