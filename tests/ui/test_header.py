"""The header line drops its long words first on a narrow screen, never the clock."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len

from ccmon import __version__
from ccmon.ui import format as fmt
from ccmon.ui.widgets.header import header_line

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
NOW = AT.timestamp()
CLOCK = fmt.clock(AT)  # local time


def test_a_wide_header_says_everything() -> None:
    line = header_line(160, now=NOW, ages=[3, 12], alert="⚠ 12 waiting", period="May", demo=True)
    text = line.plain
    assert text.startswith(f"ccmon · {__version__} · DEMO (simulated contact center) · period May")
    assert "   ⚠ 12 waiting" in text
    assert text.endswith(f"data 12s old · {CLOCK}")
    assert cell_len(text) == 160


def test_a_narrow_header_keeps_the_clock_and_cuts_the_alert() -> None:
    alert = "⚠ service level 61.0% is below 80% on the whole floor"
    text = header_line(60, now=NOW, ages=[], alert=alert, period="May", demo=True).plain
    assert text.startswith("ccmon · DEMO")
    assert __version__ not in text
    assert text.endswith(f"no data yet · {CLOCK}")
    assert "…" in text
    assert alert not in text
    assert cell_len(text) == 60
