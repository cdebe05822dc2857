"""Reading a recording back: the header, then its diffs and health snapshots in order.

A file that is not a ccmon recording at all (not gzip, no ccmon header, empty) is a
one-line :class:`ConfigError`. A recording that stops early (ccmon was killed, so the gzip
stream has no end marker; the disk filled up; the last line is torn) yields everything
before the damage and says so in :attr:`RecordingReader.warnings`; so does a line in the
middle that cannot be read (it is skipped).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccmon.errors import ConfigError
from ccmon.replay.format import (
    VERSION,
    Entry,
    Header,
    RecordedDiff,
    RecordedHealth,
    parse_entry,
    parse_header,
)

_DAMAGE = (EOFError, OSError, zlib.error)
"""What a damaged gzip stream raises: truncated (EOFError), bad CRC or length (BadGzipFile,
an OSError), corrupt data (zlib.error)."""


class RecordingReader:
    """``for entry in RecordingReader(path)``: diffs and health in the order recorded.

    The constructor reads the header, so a file that is not a recording fails at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.line = 0
        """Lines read so far (the header is line 1)."""
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
        self._file = gzip.GzipFile(fileobj=raw, mode="rb")
        try:
            header = self._read_header()
        except ConfigError:
            self._file.close()
            raw.close()
            raise
        self._raw = raw
        self.header: Header = header
        self._skipped: list[tuple[int, str]] = []

    def _read_header(self) -> Header:
        path = self.path
        try:
            first = self._file.readline()
        except gzip.BadGzipFile:
            raise ConfigError(f"{path} is not a ccmon recording (not gzip-compressed)") from None
        except _DAMAGE as exc:
            raise ConfigError(f"{path} is not a readable ccmon recording: {_reason(exc)}") from None
        self.line = 1
        if not first:
            raise ConfigError(f"{path} is empty: not a ccmon recording")
        try:
            header = parse_header(_json(first))
        except ValueError:
            header = None
        if header is None:
            raise ConfigError(
                f"{path} is not a ccmon recording (no ccmon header on its first line)"
            )
        if header.version > VERSION:
            raise ConfigError(
                f"{path} was recorded by ccmon {header.ccmon} in format {header.version}; this "
                f"ccmon reads format {VERSION}: upgrade ccmon to replay it"
            )
        return header

    def __iter__(self) -> Iterator[Entry]:
        try:
            yield from self._entries()
        finally:
            self._file.close()
            self._raw.close()
            if self._skipped:
                number, why = self._skipped[0]
                self.warnings.append(
                    f"skipped {len(self._skipped)} unreadable line(s) of {self.path}, the "
                    f"first at line {number}: {why}"
                )

    def _entries(self) -> Iterator[Entry]:
        while True:
            number = self.line + 1
            try:
                raw = self._file.readline()
            except _DAMAGE as exc:
                self._ends_early(number, _reason(exc))
                return
            if not raw:
                return
            self.line = number
            if not raw.endswith(b"\n"):
                self._ends_early(number, "its last line is cut off")
                return
            try:
                entry = parse_entry(_json(raw))
            except ValueError as exc:
                self._skipped.append((number, str(exc)))
                continue
            if entry is not None:
                yield entry

    def _ends_early(self, number: int, why: str) -> None:
        self.warnings.append(
            f"recording ends early at line {number}: {why}; replaying what is readable"
        )


@dataclass(frozen=True, slots=True)
class Recording:
    """A whole recording in memory, as replay needs it (it seeks back and forth)."""

    path: Path
    header: Header
    diffs: list[RecordedDiff]
    health: list[RecordedHealth]
    warnings: list[str]


def read_recording(path: Path) -> Recording:
    reader = RecordingReader(path)
    diffs: list[RecordedDiff] = []
    health: list[RecordedHealth] = []
    for entry in reader:
        if isinstance(entry, RecordedDiff):
            diffs.append(entry)
        else:
            health.append(entry)
    return Recording(path, reader.header, diffs, health, reader.warnings)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ValueError(f"not JSON ({exc})") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the compressed stream stops (was ccmon stopped while recording?)"
    return f"the compressed data is damaged ({exc})"
