"""Every ccmon process on this machine shares an account's budget (a state file, no daemon).

The simulator enforces CCAI's limit on arrival; real ``ccmon`` processes run against it.
Without the shared budget each new process sends its first request at once, and two
processes at the same rate send twice what the account allows.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ccmon.http.shared_budget import budget_dir
from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from tests.cli.test_doctor import rows
from tests.support.cli import Run
from tests.support.sim import sim_client
from tests.support.waiting import eventually

MakeSim = Callable[..., SimServer]
RATE = 4.0  # requests/second, the simulator's and ccmon's: the test takes seconds, not minutes


@pytest.fixture
def ccai_only(make_sim: MakeSim, monkeypatch: pytest.MonkeyPatch) -> SimServer:
    sim = make_sim(ccai_rate=RateLimit(RATE, 1), agents=20)
    env = {
        **sim.env,
        "CCMON_CONFIG": os.devnull,
        "CCMON_CCAI_RATE": str(RATE),
        "CCMON_ALO_ENABLED": "false",
        "CCMON_EVO_ENABLED": "false",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return sim


def snapshot() -> subprocess.Popen[str]:
    """``ccmon snapshot`` in its own process (the environment points it at the simulator)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ccmon", "snapshot", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> dict[str, object]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    document: dict[str, object] = json.loads(out)
    return document


def test_two_snapshots_at_once_share_the_budget(ccai_only: SimServer) -> None:
    runs = [snapshot(), snapshot()]
    documents = [finished(run) for run in runs]
    log = ccai_only.request_log("ccai")
    assert [r.path for r in log if r.rate_limited] == []
    assert all(len(doc["agents"]) == 20 for doc in documents)  # type: ignore[arg-type]
    assert len(log) >= 2 * 10  # both read the whole floor


def test_doctor_while_a_snapshot_runs_is_not_rate_limited(ccai_only: SimServer, ccmon: Run) -> None:
    run = snapshot()
    try:
        in_the_middle = lambda: len(ccai_only.request_log("ccai")) >= 3  # noqa: E731
        asyncio.run(eventually(in_the_middle, "the snapshot's third request", 30))
        result = ccmon("doctor")
    finally:
        finished(run)
    assert rows(result.out)[("ccai", "rate limit")] == "ok", result.out
    assert result.code == 0, result.out
    assert [r.path for r in ccai_only.request_log("ccai") if r.rate_limited] == []


def test_one_429_from_another_tool_is_not_a_rate_limit_failure(
    ccai_only: SimServer, ccmon: Run
) -> None:
    # Another tool on the account sends a request just before doctor's (nothing ccmon can
    # know about): doctor's request draws a 429, its second try after the pause goes through.
    with sim_client(ccai_only, "ccai") as other:
        assert other.get("user_statuses").status_code == 200
        result = ccmon("doctor")
    assert rows(result.out)[("ccai", "rate limit")] == "ok", result.out
    assert "one HTTP 429" in result.out
    assert result.code == 0, result.out


def test_the_budget_file_names_no_secret(ccai_only: SimServer) -> None:
    finished(snapshot())
    files = list(budget_dir().iterdir())
    assert len(files) == 1
    text = files[0].name + files[0].read_text()
    for secret in (ccai_only.credentials.ccai_token, ccai_only.credentials.ccai_username):
        assert secret not in text
    assert Path(os.environ["XDG_STATE_HOME"]) in files[0].parents
