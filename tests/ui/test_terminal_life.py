"""ccmon in a real pseudo-terminal: when the terminal goes away (an SSH drop), it exits
cleanly instead of spinning on a dead tty; told to stop (SIGTERM), it leaves as ``q`` does."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.pty_spawn import spawn_in_pty
from ccmon.domain import Collection
from ccmon.replay.reader import read_recording


def read_until(master: int, deadline: float, done: Callable[[], object] = lambda: None) -> bytes:
    """Read what ccmon writes (so it never blocks on a full pty) until ``deadline`` or
    until ``done()`` returns something other than None."""
    seen = b""
    while time.monotonic() < deadline and done() is None:
        if select.select([master], [], [], 0.1)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


def start_in_pty(*args: str) -> tuple[subprocess.Popen[bytes], int]:
    argv = [sys.executable, "-m", "ccmon", "--demo", *args]
    process, master = spawn_in_pty(argv, size=(80, 24))
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


def test_sigterm_quits_cleanly_and_closes_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "floor.jsonl.gz"
    process, master = start_in_pty("--record", str(path))
    try:
        seen, deadline = b"", time.monotonic() + 20
        while b"In call" not in seen and time.monotonic() < deadline:  # the first agents
            seen += read_until(master, time.monotonic() + 0.2)
        process.send_signal(signal.SIGTERM)
        output = read_until(master, time.monotonic() + 15, process.poll)
        assert process.wait(timeout=1) == 0
        assert b"\x1b[?1049l" in output  # the terminal's own screen restored
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    recording = read_recording(path)
    assert recording.warnings == []  # complete, not cut off
    assert any(d.collection is Collection.AGENTS for d in recording.diffs)
