"""ccmon in a real pseudo-terminal: when the terminal goes away (an SSH drop), it exits
cleanly instead of spinning on a dead tty."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest


def start_in_pty() -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    env.update({"TERM": "xterm-256color", "CCMON_CONFIG": os.devnull})
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
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
