"""Running the real ``ccmon`` command line in-process, isolated from the user's own files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccmon.cli import main
from ccmon.logs import remove_logging

FAST_SOURCES = {
    f"CCMON_{source}_{key}": value
    for source in ("CCAI", "ALO", "EVO")
    for key, value in (("RATE", "50"), ("BURST", "20"))
}
"""The budget is not what these tests are about (against a simulator with rate_limit=False)."""
WARNING = "ccmon: warning: "


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def errors(self) -> str:
        """stderr without warning lines (``FAST_SOURCES`` is above CCAI's documented rate on
        purpose, and ccmon says so on start)."""
        return "".join(
            line for line in self.err.splitlines(keepends=True) if not line.startswith(WARNING)
        )

    @property
    def error_line(self) -> str:
        """The one line an expected failure prints, checked to be exactly one and no traceback."""
        lines = self.errors.splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        assert lines[0].startswith("ccmon"), lines[0]
        return lines[0]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No CCMON_* from the outside; config and log dirs under tmp_path; logging undone after."""
    for name in list(os.environ):
        if name.startswith("CCMON_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path
    remove_logging()


Run = Callable[..., Result]


@pytest.fixture
def ccmon(capsys: pytest.CaptureFixture[str]) -> Run:
    """``ccmon(*argv)`` runs ``ccmon.cli.main`` and returns its exit code and output."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
