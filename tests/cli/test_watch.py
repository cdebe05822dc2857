"""``ccmon watch`` as scripts use it: through a pipe whose reader may stop early."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ccmon.replay.reader import read_recording
from ccmon.sim.runner import SimServer
from ccmon.sim.world.statuses import status_by_name
from tests.support.cli import FAST_SOURCES, Run


def test_a_reader_that_stops_early_ends_watch_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "watch", "--demo", "--duration", "50"],
        env={**env, "CCMON_CONFIG": os.devnull},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = json.loads(process.stdout.readline())  # what `| head -1` reads
    process.stdout.close()
    try:
        code = process.wait(timeout=40)
    finally:
        process.kill()
    stderr = process.stderr.read()
    assert {"collection", "source", "added"} <= set(first)
    assert code == 0, stderr
    assert stderr == ""


def test_first_lines_are_initial_and_a_frozen_floor_sends_nothing_more(
    ccmon: Run, make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The simulator's clock stands still: after the first full dumps nothing changes, so no
    # line may come, though the Evo sessions feed polls every 0.3 s (a ticking wait is no
    # change: the queue line carries oldest_since, which does not tick).
    sim = make_sim(start=None, speed=0, rate_limit=False)
    with sim.world.current() as world:  # two callers wait in an Evo queue, nobody answers
        for agent in world.evo.floor.agents:
            world.evo.set_agent_status(agent, status_by_name("Unavailable"))
        world.evo.enqueue(world.evo.floor.queues[0], 2)
    fast = {"CCMON_CCAI_INTERVALS": "agent_status=0.3,queue_status=0.3"}
    env = {**sim.env, **FAST_SOURCES, **fast, "CCMON_EVO_INTERVALS": "sessions=0.3"}
    for name, value in {**env, "CCMON_CONFIG": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    result = ccmon("watch", "--duration", "5")
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    seen: set[tuple[str, str]] = set()
    for line in lines:
        slot = (line["collection"], line["source"])
        assert line["initial"] is (slot not in seen), line
        seen.add(slot)
    assert ("queues", "evo") in seen
    [evo_queues] = [x for x in lines if (x["collection"], x["source"]) == ("queues", "evo")]
    waiting = [q for q in evo_queues["added"] if q["in_queue"]]
    assert waiting, "the frozen floor has someone waiting in an Evo queue"
    assert all(q["oldest_since"] and q["longest_wait_s"] is None for q in waiting)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_ends_watch_quietly_and_closes_the_recording(
    tmp_path: Path, how: signal.Signals
) -> None:
    path = tmp_path / "watch.jsonl.gz"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "watch", "--demo", "--record", str(path)],
        env={**env, "CCMON_CONFIG": os.devnull, "XDG_STATE_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        first = json.loads(process.stdout.readline())  # it runs and records
        process.send_signal(how)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert stderr == ""
    recording = read_recording(path)
    assert recording.warnings == []  # complete: the gzip has its end
    assert first["collection"] in {d.collection.value for d in recording.diffs}
