"""``ccmon serve`` as a user runs it: a process on a loopback port over the simulator, which
stops at once and quietly on SIGTERM, open event streams included."""

from __future__ import annotations

import os
import signal
import time

import httpx

from ccmon.sim.runner import SimServer
from tests.support.serving import serve_process


def test_serve_runs_and_stops_cleanly_with_streams_open(open_sim: SimServer) -> None:
    env = {**open_sim.env, "CCMON_CONFIG": os.devnull}
    process, url = serve_process(env, ready="/api/board")
    port = int(url.rsplit(":", 1)[1])
    try:
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
