"""``ccmon sim``: arguments, the printed exports, Ctrl-C, and a config it cannot run."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ccmon.sim.command import add_sim_arguments, run_sim_command
from ccmon.sim.faults import Fault, FaultKind
from ccmon.sim.vendors import Vendor

REPO = Path(__file__).resolve().parents[2]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_sim_arguments(parser)
    return parser.parse_args(argv)


def test_arguments() -> None:
    args = parse("--seed", "9", "--speed", "60", "--agents", "40", "--no-rate-limit")
    assert (args.seed, args.speed, args.agents, args.no_rate_limit) == (9, 60.0, 40, True)
    assert (args.port, args.queues, args.interactions_per_day, args.faults) == (0, 6, 3000, [])
    faults = parse("--faults", "ccai:html,evo:slow=2", "--faults", "alo:down").faults
    assert faults == [
        (Vendor.CCAI, Fault(FaultKind.HTML)),
        (Vendor.EVO, Fault(FaultKind.SLOW, delay_s=2.0)),
        (Vendor.ALO, Fault(FaultKind.DOWN)),
    ]
    assert parse("--start", "2024-07-18T14:00:00Z").start.hour == 14


def test_bad_faults_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("--faults", "ccai:melt")
    assert "bad fault" in capsys.readouterr().err


def test_a_floor_it_cannot_build_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_sim_command(parse("--queues", "5000")) == 1
    err = capsys.readouterr().err
    assert err.startswith("ccmon sim: ")
    assert err.count("\n") == 1


def test_serves_prints_exports_and_stops_on_ctrl_c() -> None:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "ccmon.sim", "--speed", "0", "--agents", "5"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as proc:
        assert proc.stdout is not None
        exports = {}
        for line in proc.stdout:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                exports[name] = value
            if "Ctrl-C" in line:
                break
        try:
            assert set(exports) == {
                "CCMON_CCAI_BASE_URL",
                "CCMON_CCAI_USERNAME",
                "CCMON_CCAI_TOKEN",
                "CCMON_ALO_BASE_URL",
                "CCMON_ALO_TOKEN",
                "CCMON_EVO_BASE_URL",
                "CCMON_EVO_TOKEN",
            }
            auth = (exports["CCMON_CCAI_USERNAME"], exports["CCMON_CCAI_TOKEN"])
            agents = httpx.get(exports["CCMON_CCAI_BASE_URL"] + "/agents", auth=auth, timeout=5)
            assert len(agents.json()) == 5
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                code = proc.wait(timeout=15)
            finally:
                proc.kill()  # never leave the `with` waiting on a process that did not stop
    assert code == 0
