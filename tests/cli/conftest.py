"""Running the real ``ccmon`` command line in-process, isolated from the user's own files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ccmon.cli import main
from ccmon.logs import remove_logging
from ccmon.sim.runner import SimServer
from tests.support.cli import FAST_SOURCES, Result, Run


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


@pytest.fixture
def floor(make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch) -> SimServer:
    """A simulator whose clock stands still, so every run reads the same floor; the
    environment points ``ccmon`` at it (fast, no config file)."""
    sim = make_sim(start=None, speed=0, rate_limit=False)
    for name, value in {**sim.env, **FAST_SOURCES, "CCMON_CONFIG": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    return sim
