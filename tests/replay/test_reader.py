"""Reading recordings back: exact records, damaged files replay what is readable, other files
are refused in one line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ccmon.domain import AgentState, Collection
from ccmon.errors import ConfigError
from ccmon.replay.format import RecordedDiff
from ccmon.replay.reader import read_recording
from tests.support.recorded_floor import HEALTHY, START, STEPS, many_steps, write_floor


def lines(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)


def write_lines(path: Path, text: list[str]) -> Path:
    path.write_bytes(gzip.compress("".join(text).encode()))
    return path


async def test_a_recording_reads_back_as_the_records_and_health_written(tmp_path: Path) -> None:
    path = tmp_path / "floor.jsonl.gz"
    events, _ = await write_floor(path)
    recording = read_recording(path)
    assert recording.warnings == []
    assert recording.header.started == START  # microseconds kept
    assert [d.t for d in recording.diffs] == [s.t for s in STEPS]
    for event, diff in zip(events, recording.diffs, strict=True):
        assert (diff.collection, diff.source) == (event.collection, event.source)
        assert set(diff.removed) == set(event.diff.removed)
        new = {k: c.new for k, c in event.diff.changed.items()}
        assert diff.records == {**event.diff.added, **new}  # equal records, enums and all
    agent = recording.diffs[0].records["ccai:a1"]
    assert agent.state is AgentState.AVAILABLE  # type: ignore[union-attr]
    assert [h.sources for h in recording.health] == [tuple(HEALTHY), tuple(HEALTHY)]


async def test_a_diff_line_is_what_watch_prints_plus_the_full_records(tmp_path: Path) -> None:
    path = tmp_path / "floor.jsonl.gz"
    await write_floor(path)
    header, *rest = (json.loads(line) for line in lines(path))
    assert (header["format"], header["version"]) == ("ccmon-recording", 1)
    assert header["sources"] == []
    change = next(line for line in rest if line.get("kind") == "diff" and line["changed"])
    assert change["changed"] == {
        "ccai:a1": {
            "state": ["available", "in_call"],
            "status": ["available", "in_call"],
            "state_since": ["2026-11-25T08:29:00Z", "2026-11-25T08:30:10Z"],
        }
    }
    assert change["records"]["ccai:a1"]["state_since"] == "2026-11-25T08:30:10.250000+00:00"


async def test_a_recording_cut_off_mid_stream_replays_up_to_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "killed.jsonl.gz"
    _, sizes = await write_floor(path, many_steps(40), flush_each=True)
    data = path.read_bytes()
    # As if ccmon was killed while compressing step 31: 30 steps were flushed whole.
    path.write_bytes(data[: sizes[29] + (sizes[30] - sizes[29]) // 2])
    recording = read_recording(path)
    assert len(recording.diffs) == 30
    [warning] = recording.warnings
    assert warning.startswith("recording ends early at line ")
    assert warning.endswith("; replaying what is readable")
    assert "\n" not in warning


async def test_a_killed_recorder_leaves_a_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "killed.jsonl.gz"
    _, sizes = await write_floor(path, many_steps(10), flush_each=True)
    path.write_bytes(path.read_bytes()[: sizes[-1]])  # flushed, never closed: no end marker
    recording = read_recording(path)
    assert len(recording.diffs) == 10
    assert "the compressed stream stops" in recording.warnings[0]


async def test_a_torn_last_line_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "torn.jsonl.gz"
    await write_floor(path)
    text = lines(path)
    text[-1] = text[-1][:-20]  # the final health line, half written
    recording = read_recording(write_lines(path, text))
    assert len(recording.diffs) == len(STEPS)
    assert recording.warnings == [
        f"recording ends early at line {len(text)}: its last line is cut off; "
        "replaying what is readable"
    ]


async def test_an_unreadable_line_in_the_middle_is_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "scratched.jsonl.gz"
    await write_floor(path)
    text = lines(path)
    text[3] = '{"kind": "diff", "t": 1, "collection": "agents"\n'
    recording = read_recording(write_lines(path, text))
    assert len(recording.diffs) == len(STEPS) - 1
    [warning] = recording.warnings
    assert "skipped 1 unreadable line(s)" in warning
    assert "the first at line 4" in warning


def test_what_a_newer_ccmon_adds_is_ignored(tmp_path: Path) -> None:
    agent = {
        "source": "ccai",
        "id": "a1",
        "name": "Ann",
        "state": "on_fire",
        "status": "Fire",
        "state_since": None,
        "team": None,
        "mood": "great",
    }
    text = [
        json.dumps(
            {
                "format": "ccmon-recording",
                "version": 1,
                "ccmon": "9.0",
                "started": 0,
                "sources": ["ccai"],
                "site": "eu",
            }
        )
        + "\n",
        json.dumps({"kind": "bookmark", "t": 0.5, "note": "incident starts"}) + "\n",
        json.dumps(
            {
                "kind": "diff",
                "t": 1,
                "collection": "moods",
                "source": "ccai",
                "removed": [],
                "records": {},
            }
        )
        + "\n",
        json.dumps(
            {
                "kind": "diff",
                "t": 2,
                "collection": "agents",
                "source": "ccai",
                "removed": [],
                "records": {"ccai:a1": agent},
                "extra": 1,
            }
        )
        + "\n",
    ]
    recording = read_recording(write_lines(tmp_path / "future.jsonl.gz", text))
    assert recording.warnings == []
    [diff] = recording.diffs
    assert isinstance(diff, RecordedDiff)
    assert diff.collection is Collection.AGENTS
    assert diff.records["ccai:a1"].state is AgentState.OTHER  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (gzip.compress(b""), "is empty"),
        (b"agent,state\nAnn,available\n", "not gzip-compressed"),
        (
            gzip.compress(b'{"at": "2026-11-25T08:30:00Z", "collection": "agents"}\n'),
            "no ccmon header",
        ),
        (gzip.compress(b"\x00\x01 binary \xff\n"), "no ccmon header"),
        (
            gzip.compress(
                b'{"format": "ccmon-recording", "version": 2, "ccmon": "2.0", '
                b'"started": 0, "sources": []}\n'
            ),
            "upgrade ccmon",
        ),
        (gzip.compress(b'{"format": "ccmon-recording", "version": 1}')[:12], "stops"),
    ],
)
def test_a_file_that_is_not_a_recording_is_refused_in_one_line(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "file.gz"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as error:
        read_recording(path)
    assert says in str(error.value)
    assert str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_file_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read .*nope\.gz"):
        read_recording(tmp_path / "nope.gz")
