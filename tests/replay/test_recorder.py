"""The recorder's edges: joining an engine that already has data, and a disk that fails."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from ccmon.domain import Collection
from ccmon.errors import ConfigError
from ccmon.replay.engine import ReplayEngine
from ccmon.replay.reader import read_recording
from ccmon.replay.recording import Recorder
from tests.support.recorded_floor import A1, A2, A3, RecordedEngine, agent, queue


async def test_joining_late_records_the_current_state_first(tmp_path: Path) -> None:
    engine = RecordedEngine()
    engine.store.replace(Collection.AGENTS, "ccai", [A1, A2, A3])
    engine.store.replace(Collection.QUEUES, "ccai", [queue(4)])
    path = tmp_path / "late.jsonl.gz"
    async with Recorder(path, engine):
        engine.store.replace(Collection.AGENTS, "ccai", [A1, A2])
    recording = read_recording(path)
    assert [d.initial for d in recording.diffs] == [True, True, False]
    replay = ReplayEngine(recording)
    replay.seek_to(replay.duration)
    assert {r.key for r in replay.store.records(Collection.AGENTS)} == {A1.key, A2.key}
    assert [r.in_queue for r in replay.store.records(Collection.QUEUES)] == [4]  # type: ignore[union-attr]
    replay.step(-1)  # before a3 logged off: the initial state, rebuilt
    assert {r.key for r in replay.store.records(Collection.AGENTS)} == {A1.key, A2.key, A3.key}


async def test_a_full_disk_stops_recording_but_not_ccmon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = RecordedEngine()
    path = tmp_path / "full.jsonl.gz"
    async with Recorder(path, engine) as recorder:
        engine.store.replace(Collection.AGENTS, "ccai", [A1])
        recorder.flush()

        def no_space(data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(recorder._gzip, "write", no_space)
        engine.store.replace(Collection.AGENTS, "ccai", [agent("a9", A1.state, 0)])  # no raise
        recorder.flush()
    assert recorder.error == f"writing {path} failed: No space left on device"
    with pytest.raises(ConfigError, match="what came before it is in the recording"):
        recorder.raise_if_failed()
    recording = read_recording(path)  # what was flushed before the failure replays
    assert [list(d.records) for d in recording.diffs] == [[A1.key]]
