"""Start ccmon in a real pseudo-terminal of a given size, as a user's terminal would run it.

Shared by the benchmarks that count what reaches the terminal and by the tests that watch a
real session (``tests/hardening/terminal.py``, ``tests/ui/test_terminal_life.py``).
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping, Sequence
from pathlib import Path


def ccmon_command() -> list[str]:
    """The installed console script if there is one (what a user starts), else ``-m ccmon``."""
    script = Path(sys.executable).with_name("ccmon")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ccmon"]


_SIZE_VARIABLES = ("COLUMNS", "LINES")
"""Set by some parents (pytest-xdist's workers): they would override the pty's own size."""


def clean_env() -> dict[str, str]:
    """This environment without the caller's ccmon settings (no config file, no CCMON_*)
    and without a terminal size of its own: the program sees the pty's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CCMON_") and k not in _SIZE_VARIABLES
    }
    env["CCMON_CONFIG"] = os.devnull
    return env


def spawn_in_pty(
    argv: Sequence[str],
    *,
    size: tuple[int, int] = (160, 50),
    env: Mapping[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``argv`` on a new ``size`` (columns, rows) pty in its own session.

    Returns the process and the pty's master end (the caller reads and closes it). The
    environment is :func:`clean_env` with ``TERM=xterm-256color``, plus ``env``.
    """
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full_env = {**clean_env(), "TERM": "xterm-256color", **(env or {})}
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    return process, master
