"""``[history]`` settings into a recorder, and the one-line messages around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.errors import ConfigError
from ccmon.history.setup import history_path, record_history, say_once
from ccmon.history.view import history_of
from tests.history.helpers import ccmon


def test_the_settings_make_the_recorder(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    settings = load_settings(
        env={
            "CCMON_CONFIG": "/dev/null",
            "CCMON_HISTORY_PATH": str(path),
            "CCMON_HISTORY_INTERVAL_MIN": "30",
        }
    )
    engine = Engine([])
    recorder = record_history(engine, settings)
    assert recorder is not None
    assert history_of(engine) is recorder
    assert (recorder.options.path, recorder.options.interval_min) == (path, 30)
    assert recorder.options.policy == settings.sla.policy()
    assert not recorder.options.keep_customer


def test_disabled_records_nothing() -> None:
    settings = load_settings(env={"CCMON_CONFIG": "/dev/null", "CCMON_HISTORY_ENABLED": "false"})
    engine = Engine([])
    assert record_history(engine, settings) is None
    assert history_of(engine) is None


def test_the_demo_keeps_its_own_file_unless_a_path_is_set(tmp_path: Path) -> None:
    settings = load_settings(env={"CCMON_CONFIG": "/dev/null"})
    assert history_path(settings, demo=True).name == "history-demo.sqlite3"
    assert history_path(settings).name == "history.sqlite3"
    chosen = load_settings(
        env={"CCMON_CONFIG": "/dev/null", "CCMON_HISTORY_PATH": str(tmp_path / "x")}
    )
    assert history_path(chosen, demo=True) == tmp_path / "x"


@pytest.mark.parametrize("value", ["20", "0", "quarter"])
def test_an_interval_other_than_15_30_60_is_refused(value: str) -> None:
    env = {"CCMON_CONFIG": "/dev/null", "CCMON_HISTORY_INTERVAL_MIN": value}
    with pytest.raises(ConfigError, match=r"history\.interval_min = .*15, 30 or 60"):
        load_settings(env=env)


def test_a_corrupt_history_is_one_line_for_report(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"not sqlite at all\n" * 100)
    result = ccmon("report", history=path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"ccmon: history {path}: file is not a database"


def test_say_once_says_each_line_once() -> None:
    heard: list[str] = []
    say = say_once(heard.append)
    for line in ("history off: a", "history off: a", "history off: b"):
        say(line)
    assert heard == ["history off: a", "history off: b"]
