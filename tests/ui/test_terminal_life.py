"""ccmon in a real pseudo-terminal: when the terminal goes away (an SSH drop), it exits
cleanly instead of spinning on a dead tty."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from benchmarks.pty_spawn import spawn_in_pty


def start_in_pty() -> tuple[subprocess.Popen[bytes], int]:
    process, master = spawn_in_pty([sys.executable, "-m", "ccmon", "--demo"], size=(80, 24))
    seen = b""
    deadline = time.monotonic() + 30
    while b"Agents" not in seen and time.monotonic() < deadline:  # the screen is up
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    assert b"Agents" in seen
    return process, master


@pytest.mark.parametrize("how", ["terminal closed", "SIGHUP"])
def test_exits_when_the_terminal_goes_away(how: str) -> None:
    process, master = start_in_pty()
    try:
        if how == "SIGHUP":
            process.send_signal(signal.SIGHUP)
        else:
            os.close(master)  # writes and tty calls now fail; no signal arrives
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
        if how == "SIGHUP":
            os.close(master)
