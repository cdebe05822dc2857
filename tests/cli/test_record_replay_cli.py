"""``ccmon --record`` and ``ccmon replay`` from the command line: the demo recorded for real,
the replay screen wired to the recorded clock, and every refusal in one line, exit 1."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ccmon.config.load import load_settings
from ccmon.domain import Collection
from ccmon.replay.app import ReplayApp
from ccmon.replay.reader import read_recording
from ccmon.ui.app import CcmonApp
from tests.support.cli import Run
from tests.support.floors import store_of
from tests.support.recorded_floor import START, write_floor
from tests.support.waiting import wait_for


def test_the_demo_is_recorded_while_the_screen_runs(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_async = CcmonApp.run_async

    async def headless(self: CcmonApp, **_: Any) -> None:
        async def user(pilot: Pilot[Any]) -> None:
            await wait_for(pilot, lambda: store_of(self).count(Collection.AGENTS) > 0)
            await pilot.pause(1.2)  # a flush and a health snapshot
            await pilot.press("q")

        await run_async(self, headless=True, size=(120, 40), auto_pilot=user)

    monkeypatch.setattr(CcmonApp, "run_async", headless)
    path = tmp_path / "demo.jsonl.gz"
    assert ccmon("--demo", "--record", str(path)).code == 0
    recording = read_recording(path)
    assert recording.warnings == []  # closed properly on q
    assert recording.header.sources == ("ccai", "alo", "evo")
    assert any(d.collection is Collection.AGENTS for d in recording.diffs)
    assert recording.health
    assert path.stat().st_mode & 0o077 == 0  # caller numbers inside: the owner's alone


def test_recording_never_overwrites_a_file(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "yesterday.jsonl.gz"
    path.write_bytes(b"the incident")
    line = ccmon("--demo", "--record", str(path)).error_line
    assert "already exists" in line
    assert path.read_bytes() == b"the incident"


def test_record_goes_with_the_screen_or_watch_only(ccmon: Run, tmp_path: Path) -> None:
    result = ccmon("--record", str(tmp_path / "x.gz"), "snapshot")
    assert result.code == 1
    assert "--record" in result.error_line


@pytest.fixture
def floor_file(tmp_path: Path) -> Path:
    path = tmp_path / "floor.jsonl.gz"
    asyncio.run(write_floor(path))
    return path


def test_replay_shows_the_recording_on_the_recorded_clock_without_side_effects(
    ccmon: Run, floor_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ReplayApp] = []
    monkeypatch.setattr(ReplayApp, "run", lambda self, **_: shown.append(self))
    monkeypatch.setenv("CCMON_ALERTS_COMMAND", "/bin/echo raised")
    monkeypatch.setenv("CCMON_ALERTS_BELL", "true")
    assert load_settings().alerts.command is not None  # live would run it
    assert ccmon("replay", str(floor_file), "--speed", "8", "--mask-pii").code == 0
    [app] = shown
    assert app.replay.speed == 8.0
    assert app.options.wall() == START.timestamp()  # the cursor, not today
    assert app.options.mask_pii
    assert app.options.alerts.command is None  # a replay posts nothing to chat
    assert not app.options.alerts.bell


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--speed", "0"], "--speed 0"),
        (["--speed", "1000"], "--speed 1000"),
    ],
)
def test_replay_refuses_a_speed_out_of_range(
    ccmon: Run, floor_file: Path, argv: list[str], says: str
) -> None:
    assert says in ccmon("replay", str(floor_file), *argv).error_line


def test_replay_of_a_file_that_is_not_a_recording_is_one_line(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "watch.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"collection": "agents", "added": []}\n'))
    result = ccmon("replay", str(path))
    assert result.code == 1
    assert "not a ccmon recording" in result.error_line


def test_a_damaged_recording_warns_in_one_line_and_replays(
    ccmon: Run, floor_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ReplayApp] = []
    monkeypatch.setattr(ReplayApp, "run", lambda self, **_: shown.append(self))
    floor_file.write_bytes(floor_file.read_bytes()[:-30])
    result = ccmon("replay", str(floor_file))
    assert result.code == 0
    assert "recording ends early at line" in result.error_line
    [app] = shown
    assert app.warnings  # also shown on screen
    assert app.replay.state().count > 0
