"""The soak benchmark, twelve seconds of it: it runs, reports every phase, and the engine
neither leaks tasks nor sends more than the simulator allows while faults come and go.
The hour-long run is ``python -m benchmarks.soak`` (see the README's Benchmarks)."""

from __future__ import annotations

import pytest

from benchmarks.soak import PHASES, report, run_soak


async def test_a_short_soak_runs_every_phase_within_budget(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = await run_soak(minutes=0.2, agents=60, queues=8)
    assert [stats.name for stats in results] == [phase.name for phase in PHASES]
    assert all(stats.rss and stats.tasks for stats in results)
    rejected = {stats.name: stats.rejected_for_rate for stats in results if stats.rejected_for_rate}
    assert not rejected, rejected
    # One task per feed, started once: after the start, faults coming and going add none.
    started = results[1].tasks[0]
    tasks = [t for stats in results[1:] for t in stats.tasks]
    assert max(tasks) <= started + 5, tasks
    pending = [p for stats in results for p in stats.pending]
    assert max(pending) < 100, pending
    report(results, 0.2, 60, 8)
    printed = capsys.readouterr().out
    assert "per phase" in printed
    assert all(phase.name in printed for phase in PHASES)
