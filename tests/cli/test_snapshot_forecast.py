"""``snapshot --forecast`` against the simulator: each queue's forecast is the Erlang model
applied to the inputs the same document shows."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from ccmon.engine.erlang import erlang_a, erlang_c
from ccmon.sim.runner import SimServer
from tests.support.cli import Run

RESULTS = {"p_wait", "sl_pct", "asa_s"}
INPUTS = {
    "arrivals_per_hour",
    "aht_s",
    "agents",
    "threshold_s",
    "target_pct",
    "window_min",
    "basis",
    "aht_basis",
}


def _document(ccmon: Run, *flags: str) -> dict[str, Any]:
    result = ccmon("snapshot", "--format", "json", *flags)
    assert result.code == 0, result.err
    parsed: dict[str, Any] = json.loads(result.out)
    return parsed


def test_each_queue_gets_its_forecast_from_the_inputs_it_states(
    ccmon: Run, floor: SimServer
) -> None:
    document = _document(ccmon, "--forecast")
    queues = document["queues"]
    assert queues
    forecast_made = 0
    for queue in queues:
        forecast = queue["forecast"]
        assert forecast.keys() >= INPUTS
        # A snapshot records nothing: its inputs are the feeds' hour, the window's AHT.
        assert (forecast["basis"], forecast["window_min"]) == ("feeds", 60)
        assert forecast["aht_basis"] == ("window" if forecast["aht_s"] is not None else None)
        if "reason" in forecast:
            assert not (RESULTS & forecast.keys()), forecast
            continue
        forecast_made += 1
        rate = forecast["arrivals_per_hour"] / 3600
        args = (forecast["agents"], rate, forecast["aht_s"], forecast["threshold_s"])
        if forecast["model"] == "erlang_a":
            expected = erlang_a(*args, patience=forecast["patience_s"])
        else:
            assert forecast["model"] == "erlang_c"
            assert "patience_s" not in forecast
            expected = erlang_c(*args)
        assert expected.sl is not None
        assert forecast["sl_pct"] == pytest.approx(100 * expected.sl, abs=0.2)
        assert forecast["p_wait"] == pytest.approx(expected.p_wait, abs=2e-3)
    assert forecast_made >= 3


def test_arrivals_are_the_contacts_of_the_window(ccmon: Run, floor: SimServer) -> None:
    document = _document(ccmon, "--forecast")
    # generated_at is printed to the second: a contact within a second of the window's
    # start may fall either side of it.
    horizon = datetime.fromisoformat(document["generated_at"]) - timedelta(minutes=60)
    for queue in document["queues"]:
        created = [
            datetime.fromisoformat(contact["created_at"])
            for contact in document["interactions"]
            if contact["source"] == queue["source"]
            and contact["queue"] == queue["name"]
            and contact["kind"] == queue["channel"]
            and contact["created_at"] is not None
        ]
        surely = sum(1 for at in created if at >= horizon + timedelta(seconds=1))
        maybe = sum(1 for at in created if at >= horizon - timedelta(seconds=1))
        assert surely <= queue["forecast"]["arrivals_per_hour"] <= maybe


def test_sources_without_agents_say_so_and_give_no_figures(ccmon: Run, floor: SimServer) -> None:
    evo = [q for q in _document(ccmon, "--forecast")["queues"] if q["source"] == "evo"]
    assert evo
    for queue in evo:
        assert queue["forecast"]["agents"] is None
        assert queue["forecast"]["reason"]


def test_the_document_gains_nothing_without_the_flag(ccmon: Run, floor: SimServer) -> None:
    assert all("forecast" not in queue for queue in _document(ccmon)["queues"])


def test_forecast_needs_json(ccmon: Run, floor: SimServer) -> None:
    result = ccmon("snapshot", "--forecast")
    assert result.code == 1
    assert result.error_line == "ccmon: --forecast goes with --format json"
