"""The hub records the history while it leads; its viewers record nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.support.redis_server import RedisServer


def _env(history: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    return {**base, "CCMON_CONFIG": os.devnull, "CCMON_HISTORY_PATH": str(history)}


def _contacts(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(path, timeout=5)
        return int(db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet


def test_the_hub_records_and_a_viewer_does_not(redis_server: RedisServer, tmp_path: Path) -> None:
    hub_history, viewer_history = tmp_path / "hub.sqlite3", tmp_path / "viewer.sqlite3"
    hub = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "hub", "--demo", "--hub", redis_server.url],
        env=_env(hub_history),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _contacts(hub_history) == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _contacts(hub_history) > 0
        viewer = subprocess.run(
            [sys.executable, "-m", "ccmon", "watch", "--hub", redis_server.url, "--duration", "3"],
            env=_env(viewer_history),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert viewer.returncode == 0, viewer.stderr
        assert viewer.stdout  # it saw the hub's floor
        assert not viewer_history.exists()
    finally:
        hub.send_signal(signal.SIGTERM)
        _, stderr = hub.communicate(timeout=60)
    assert "history off" not in stderr
    samples = sqlite3.connect(hub_history).execute("SELECT COUNT(*) FROM samples").fetchone()
    assert samples[0] >= 1  # the last one, taken as the hub stopped
