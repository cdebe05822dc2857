"""End to end: ``ccmon`` in a real terminal against a simulator serving hostile text.

The simulator's ``hostile`` fault puts Rich markup, colour and screen-clearing CSI, an
OSC 52 clipboard write, an OSC 0 title change, bidi overrides, zero-width characters,
emoji/CJK/RTL, a 10,000-character string, newlines and NUL into every text field of every
vendor. Whatever ccmon writes to the terminal must contain none of it as control: no
OSC 52, no title change, no C1 control, no ESC other than the sequences Textual itself
draws with; the hostile text must be on screen as plain, inert characters. The run goes
through the screens that print vendor text beyond the panes: the Intraday screen of the
selected (hostile) queue, then the floor's.
"""

from __future__ import annotations

import os

from ccmon.sim.faults import Fault, FaultKind
from ccmon.sim.vendors import Vendor
from tests.support.screen import unsafe_characters
from tests.support.sim import running_sim
from tests.support.terminal import ccmon, run_in_pty

TEXTUAL_OSC = ("\x1b]22;",)
"""Textual's own OSC: the mouse pointer shape."""


def test_hostile_text_never_reaches_the_terminal_as_control() -> None:
    hostile = tuple((vendor, Fault(FaultKind.HOSTILE)) for vendor in Vendor)
    with running_sim(start=None, speed=1.0, rate_limit=False, faults=hostile) as sim:
        session = run_in_pty(
            ccmon(),
            {"CCMON_CONFIG": os.devnull, **sim.env},
            until=lambda out: b"pwned title" in out and b"[bold red]" in out,
            linger=1.5,
            # The queues pane, its first queue's Intraday screen, the floor's, back, quit.
            keys=(b"2", b"i", b"f", b"\x1b", b"q"),
        )
    assert session.exit_code == 0, session.text[-2000:]
    text = session.text
    # The hostile data is on screen, as text.
    printed = session.printed()
    assert "Intraday · queue " in printed, "the Intraday screen of a queue was not shown"
    assert "Intraday · floor · " in printed, "f did not switch it to the floor"
    for inert in ("]52;c;ZWNobyBwd25lZA==", "]0;pwned title", "[31mred", "[bold red]x[/]"):
        assert inert in printed, f"{inert!r} was not shown"
    # ... and never as control.
    assert "\x1b]52" not in text, "an OSC 52 clipboard write reached the terminal"
    for sequence in session.sequences():
        if sequence.startswith("\x1b]"):
            assert sequence.startswith(TEXTUAL_OSC), f"OSC from data: {sequence!r}"
        else:
            assert sequence.startswith("\x1b["), f"escape from data: {sequence!r}"
    assert "\x1b[31mred" not in text
    assert not unsafe_characters(printed.replace("\n", "").replace("\r", "")), sorted(
        set(unsafe_characters(printed.replace("\n", "").replace("\r", "")))
    )
