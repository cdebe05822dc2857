"""``ccmon replay`` on screen: the panes fill from the recording, and pause, step, seek and
speed move the time cursor with the tables following it."""

from __future__ import annotations

from pathlib import Path

from ccmon.replay.app import ReplayApp
from ccmon.replay.bar import ReplayBar
from ccmon.replay.engine import ReplayEngine
from ccmon.replay.reader import read_recording
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.recorded_floor import START, STEPS, write_floor
from tests.support.waiting import wait_for


async def replay_app(tmp_path: Path) -> ReplayApp:
    path = tmp_path / "floor.jsonl.gz"
    await write_floor(path)
    engine = ReplayEngine(read_recording(path), speed=4.0)
    return ReplayApp(engine, UiOptions(wall=engine.wall))


async def test_replay_fills_the_panes_and_the_cursor_moves_them(tmp_path: Path) -> None:
    app = await replay_app(tmp_path)
    replay = app.replay
    async with app.run_test(size=(160, 50)) as pilot:
        agents, queues = app.pane("agents").table, app.pane("queues").table
        contacts = app.pane("interactions").table
        bar = app.query_one(ReplayBar)
        await wait_for(pilot, lambda: agents.live_count == 3 and contacts.live_count == 1)
        assert queues.cell_text("ccai:q1:call", "waiting") == "2"
        assert "PLAYING" in bar.describe(replay.state())

        await pilot.press("space")
        assert not replay.playing
        position = replay.state().position
        await pilot.pause(0.3)
        assert replay.state().position == position  # paused: the cursor stays
        assert "PAUSED" in bar.describe(replay.state())

        await pilot.press("0")  # back to the start: nothing recorded yet
        await wait_for(pilot, lambda: agents.live_count == 0)
        assert replay.state().position == 0.0

        for _ in range(4):  # the first four diffs; the fourth is a1 taking a call at 10 s
            await pilot.press("full_stop")
        assert (replay.state().applied, replay.state().position) == (4, 10.0)
        await wait_for(pilot, lambda: "state" in agents.highlighted("ccai:a1"))
        assert "call" in agents.cell_text("ccai:a1", "state").lower()
        assert agents.cell_text("ccai:a1", "since") == "0s"  # on the recorded clock

        await pilot.press("right_square_bracket")  # 10 s on: a3 logs off, the queue empties
        assert replay.state().position == 20.0
        await wait_for(pilot, lambda: agents.live_count == 2)
        assert queues.cell_text("ccai:q1:call", "waiting") == "0"
        assert agents.cell_text("ccai:a1", "since") == "10s"

        await pilot.press("dollar_sign")  # the end: a2 in wrap-up, c2 waiting
        assert replay.state().at_end
        await wait_for(pilot, lambda: "wrap" in agents.cell_text("ccai:a2", "state").lower())
        assert contacts.live_count == 2
        assert "END" in bar.describe(replay.state())

        await pilot.press("comma")  # one diff back: a2 is on the call again
        assert replay.state().applied == len(STEPS) - 1
        await wait_for(pilot, lambda: "call" in agents.cell_text("ccai:a2", "state").lower())

        await pilot.press("left_curly_bracket")  # a minute back from 30 s: the start
        assert replay.state().position == 0.0
        await wait_for(pilot, lambda: agents.live_count == 0)


async def test_speed_keys_and_the_bars(tmp_path: Path) -> None:
    app = await replay_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("plus")
        assert app.replay.speed == 8.0
        await pilot.press("minus", "minus")
        assert app.replay.speed == 2.0
        await pilot.press("space", "full_stop")
        bar = app.query_one(ReplayBar)
        line = bar.render().plain
        assert START.astimezone().strftime("%Y-%m-%d %H:%M") in line  # recorded, local time
        assert "×2" in line
        assert "space play/pause" in line  # the keys, on a wide screen
        await wait_for(pilot, lambda: "ccai ok" in app.query_one(StatusBar).render().plain)
        assert app.query_one(StatusBar).render().plain.startswith(" REPLAY ")
        await pilot.press("r")  # nothing to refresh, nothing breaks
        await pilot.press("q")
