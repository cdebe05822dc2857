"""Run ccmon in a real pseudo-terminal and keep every byte it writes to it."""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from benchmarks.pty_spawn import spawn_in_pty

SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|P[^\x1b]*\x1b\\"  # DCS
    r"|.)",  # anything else after ESC
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Session:
    output: bytes
    exit_code: int | None

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def sequences(self) -> list[str]:
        """Every escape sequence written, in order."""
        return SEQUENCE.findall(self.text)

    def printed(self) -> str:
        """What the terminal showed as text: the output without its escape sequences."""
        return SEQUENCE.sub("", self.text)


def run_in_pty(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    until: Callable[[bytes], bool],
    within: float = 30.0,
    linger: float = 1.0,
    keys: bytes | Sequence[bytes] = b"q",
    size: tuple[int, int] = (160, 50),
) -> Session:
    """Start ``argv`` in a ``size`` terminal; once ``until(output)`` holds (or ``within``
    seconds pass), read ``linger`` seconds more, type ``keys`` and read until it exits.
    ``keys`` as a sequence: each typed in turn, ``linger`` seconds read after each but the
    last (the one that quits)."""
    steps = [keys] if isinstance(keys, bytes) else list(keys)
    process, master = spawn_in_pty(argv, size=size, env={"COLORTERM": "truecolor", **env})
    output = bytearray()

    def read_for(seconds: float, stop: Callable[[], bool]) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not stop():
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if process.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            output.extend(chunk)

    try:
        read_for(within, lambda: until(bytes(output)))
        read_for(linger, lambda: False)
        for step in steps[:-1]:
            os.write(master, step)
            read_for(linger, lambda: False)
        os.write(master, steps[-1])
        read_for(10.0, lambda: process.poll() is not None)
        read_for(0.5, lambda: False)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        code = process.wait(timeout=30)
        os.close(master)
    return Session(bytes(output), code)


def ccmon(*args: str) -> list[str]:
    return [sys.executable, "-m", "ccmon", *args]
