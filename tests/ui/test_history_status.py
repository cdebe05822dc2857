"""The status bar says "history off: <why>" when the history store cannot be used, and the
monitor runs on."""

from __future__ import annotations

from pathlib import Path

from ccmon.engine.engine import Engine
from ccmon.engine.health import Health, SourceHealth
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.view import history_of
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.waiting import wait_for


def _app(path: Path) -> CcmonApp:
    engine = Engine([])
    engine.companions.append(HistoryRecorder(engine, HistoryOptions(path=path), flush_s=0.02))
    return CcmonApp(engine)


def _corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database, whatever it was\n" * 200)
    return path


def _second_line(app: CcmonApp) -> str:
    return app.query_one(StatusBar).render().plain.split("\n")[1]


async def test_a_corrupt_store_is_named_in_the_status_bar_at_80_columns(tmp_path: Path) -> None:
    app = _app(_corrupt(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "history off" in _second_line(app))
        assert _second_line(app).strip() == "history off: file is not a database"
        assert app.is_running


async def test_a_source_error_keeps_its_place_beside_history_off(tmp_path: Path) -> None:
    app = _app(_corrupt(tmp_path))
    down = SourceHealth(
        "ccai", Health.UNREACHABLE, None, 0, 60, 0, 40, "ccai: connection refused", (), 0, 0
    )
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.query_one(StatusBar)
        await wait_for(pilot, lambda: bar.history_problem is not None)
        bar.show([down], paused=False)
        line = _second_line(app)
        assert "history off: file is not a database" in line
        assert "ccai: connection refused" in line


async def test_a_usable_store_says_nothing(tmp_path: Path) -> None:
    app = _app(tmp_path / "h.sqlite3")
    async with app.run_test(size=(80, 24)) as pilot:
        recorder = history_of(app.engine)
        assert recorder is not None
        await wait_for(pilot, lambda: recorder.loaded)
        await pilot.pause()
        assert recorder.problem is None
        assert "history" not in app.query_one(StatusBar).render().plain
