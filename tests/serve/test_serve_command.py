"""``ccmon serve`` as a user runs it: a process on a loopback port over the simulator, which
stops at once and quietly on SIGTERM, open event streams included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from ccmon.sim.runner import SimServer
from tests.support.serving import bound_socket, wait_for


def test_serve_runs_and_stops_cleanly_with_streams_open(open_sim: SimServer) -> None:
    probe = bound_socket()
    port = probe.getsockname()[1]
    probe.close()
    env = {**os.environ, **open_sim.env, "CCMON_CONFIG": os.devnull}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def answers() -> bool:
            try:
                return httpx.get(f"{url}/api/board", timeout=2).status_code == 200
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                return False

        wait_for(answers, "ccmon serve answers", within=30)
        with httpx.stream("GET", f"{url}/api/events", timeout=10) as stream:
            lines = stream.iter_lines()
            assert next(lines) == "retry: 2000"
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            rest = list(lines)  # the stream ends (cleanly) when serve stops
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 5  # not the grace period and a cut
        assert any(line.startswith("event: ") for line in rest)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    out, err = process.communicate(timeout=5)
    assert out == ""
    assert err.splitlines() == [
        f"ccmon serve: http://127.0.0.1:{port}/ (wallboard), /api/snapshot, /api/events, "
        "/metrics, /healthz"
    ]
