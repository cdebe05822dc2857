"""Two ``ccmon hub`` processes on one Redis: exactly one polls; a killed leader is replaced
within its lease; a paused leader that comes back stands down without a vendor request."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ccmon.sim.runner import SimServer
from tests.support.redis_server import RedisServer

TTL_S = 4.0


class HubProcess:
    def __init__(self, sim: SimServer, redis: RedisServer, state: Path) -> None:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CCMON_")},
            **sim.env,
            "CCMON_CONFIG": os.devnull,
            "CCMON_HUB_LEASE_TTL_S": str(TTL_S),
            "XDG_STATE_HOME": str(state),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ccmon", "hub", "--hub", redis.url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def said(self, words: str) -> float | None:
        """When a line holding ``words`` came, or None."""
        return next((t for t, line in self.lines if words in line), None)

    def wait_said(self, words: str, within: float) -> float:
        deadline = time.monotonic() + within
        while True:
            t = self.said(words)
            if t is not None:
                return t
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        pytest.fail(f"hub never said {words!r} within {within} s: {self.lines}")

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def first_to_say(candidates: tuple[HubProcess, ...], words: str, within: float) -> HubProcess:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for hub in candidates:
            if hub.said(words) is not None:
                return hub
        time.sleep(0.05)
    pytest.fail(f"no hub said {words!r} within {within} s")


@contextmanager
def hubs(sim: SimServer, redis: RedisServer, state: Path, count: int) -> Iterator[list[HubProcess]]:
    started: list[HubProcess] = []
    try:
        for _ in range(count):
            started.append(HubProcess(sim, redis, state))
            started[-1].wait_said("standing by", 20)
        yield started
    finally:
        for hub in started:
            hub.end()


def ccai_requests(sim: SimServer, start: float, end: float) -> list[float]:
    return [r.monotonic_s for r in sim.request_log("ccai") if start <= r.monotonic_s < end]


def rate_limited(sim: SimServer) -> int:
    return sum(r.rate_limited for r in sim.request_log())


def test_one_polls_a_killed_leader_is_replaced_and_a_paused_one_stands_down(
    sim: SimServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    with hubs(sim, redis_server, tmp_path, 3) as (a, b, c):
        a.wait_said("leads", 15)
        time.sleep(TTL_S)
        assert b.said("leads") is None
        assert c.said("leads") is None

        killed = time.monotonic()
        a.signal(signal.SIGKILL)
        leader = first_to_say((b, c), "leads", TTL_S + 10)
        standby = c if leader is b else b
        took_over = leader.wait_said("leads", 0)
        assert took_over - killed <= TTL_S + 2
        for _ in range(100):
            first_new = ccai_requests(sim, took_over - 0.5, took_over + 5)
            if first_new:
                break
            time.sleep(0.05)
        assert first_new, "the new leader polls"
        assert first_new[0] - killed <= TTL_S + 2

        paused = time.monotonic()
        leader.signal(signal.SIGSTOP)
        standby.wait_said("leads", TTL_S + 10)
        time.sleep(1.0)
        resumed = time.monotonic()
        leader.signal(signal.SIGCONT)
        leader.wait_said("stands by", 10)
        time.sleep(2.0)
        # Across the pause and the resume, the account saw one poller's rate, never two.
        window = ccai_requests(sim, resumed - 0.001, resumed + 2.0)
        assert len(window) <= 2.0 * 1 + 2  # CCAI's 1 request/second, a token of slack
        assert resumed - paused > TTL_S
    assert rate_limited(sim) == 0
