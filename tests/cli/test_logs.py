"""Logs go to a rotating file, never to the screen, and never hold a credential."""

from __future__ import annotations

import base64
import logging
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from ccmon import logs
from ccmon.sim.runner import SimServer
from tests.support.cli import FAST_SOURCES, Run


def test_a_debug_log_of_a_snapshot_holds_no_secret(
    ccmon: Run,
    make_sim: Callable[..., SimServer],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    sim = make_sim(start=None, speed=0, rate_limit=False, evo_token="evo-known-token-1234")
    for name, value in {**sim.env, **FAST_SOURCES, "CCMON_CONFIG": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CCMON_ALO_TOKEN", "alo-rejected-token-5678")  # an auth failure logs too
    log_file = tmp_path / "debug.log"

    result = ccmon(
        "snapshot", "--format", "json", "--log-level", "debug", "--log-file", str(log_file)
    )

    assert result.code == 2  # alo refused its token
    text = log_file.read_text()
    assert "HTTP Request: GET http://127.0.0.1" in text  # httpx's request lines are there
    assert "alo: credentials rejected" in text  # and ccmon's own
    creds = sim.credentials
    basic = base64.b64encode(f"{creds.ccai_username}:{creds.ccai_token}".encode()).decode()
    for secret in (creds.ccai_token, basic, "evo-known-token-1234", "alo-rejected-token-5678"):
        assert secret not in text
        assert secret not in result.out + result.err


def test_the_default_file_is_in_the_platform_log_dir(ccmon: Run, isolated: Path) -> None:
    ccmon("snapshot")  # fails for want of a source, after logging is set up
    log_dir = isolated / "state" / "ccmon" / "log"
    assert logs.default_log_file() == log_dir / "ccmon.log"
    assert (log_dir / "ccmon.log").exists()


def test_nothing_reaches_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = logs.setup_logging(None, tmp_path / "ccmon.log")
    assert path is not None
    logging.getLogger("ccmon.engine").debug("below the default level")
    logging.getLogger("ccmon.engine").warning("from ccmon")
    logging.getLogger("some.library").warning("from a library")
    logging.getLogger("some.library").info("library chatter stays out")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a deprecation", DeprecationWarning, stacklevel=1)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    text = path.read_text()
    assert "WARNING ccmon.engine: from ccmon" in text
    assert "from a library" in text
    assert "a deprecation" in text
    assert "below the default level" not in text
    assert "library chatter" not in text


def test_rotation_bounds_the_disk_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging("info", tmp_path / "ccmon.log")
    for n in range(500):
        logging.getLogger("ccmon.test").info("line %d %s", n, "x" * 50)
    files = sorted(tmp_path.glob("ccmon.log*"))
    assert [f.name for f in files] == ["ccmon.log", "ccmon.log.1", "ccmon.log.2", "ccmon.log.3"]
    assert all(f.stat().st_size <= 2_000 for f in files)


def test_an_unwritable_default_dir_does_not_stop_ccmon(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(logs, "default_log_file", lambda: Path("/proc/ccmon/ccmon.log"))
    assert logs.setup_logging() is None
    logging.getLogger("ccmon").error("goes nowhere, and not to stderr")
    assert capsys.readouterr().err == ""


def test_remove_logging_restores_levels(tmp_path: Path) -> None:
    before = logging.getLogger("ccmon").level
    logs.setup_logging("debug", tmp_path / "ccmon.log")
    assert logging.getLogger("ccmon").level == logging.DEBUG
    logs.remove_logging()
    assert logging.getLogger("ccmon").level == before
