"""SimServer's lifecycle and the same world over HTTP whatever the polling."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import running_sim, sim_client, test_config

MakeSim = Callable[..., SimServer]


def sim_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ccmon-sim"]


def test_stop_leaves_nothing_running() -> None:
    with running_sim() as sim:
        assert sim_threads()
        with sim_client(sim, "alo") as client:
            assert client.get("periods").status_code == 200
    assert sim_threads() == []
    sim.stop()  # idempotent
    with pytest.raises(OSError):  # noqa: PT011 - connection refused, spelled per platform
        socket.create_connection(("127.0.0.1", sim.port("alo")), timeout=1).close()


def test_one_start_per_server(sim: SimServer) -> None:
    with pytest.raises(RuntimeError, match="already started"):
        sim.start()


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = SimServer(test_config(port=taken.getsockname()[1]))
        with pytest.raises(RuntimeError, match="could not start") as failure:
            server.start()
        assert isinstance(failure.value.__cause__, OSError)
    assert sim_threads() == []


def test_env_points_at_the_listeners(sim: SimServer) -> None:
    env = sim.env
    assert env["CCMON_CCAI_BASE_URL"] == f"http://127.0.0.1:{sim.port('ccai')}/manager/api/v1"
    assert env["CCMON_ALO_BASE_URL"] == f"http://127.0.0.1:{sim.port('alo')}"
    assert env["CCMON_EVO_BASE_URL"] == f"http://127.0.0.1:{sim.port('evo')}"
    assert env["CCMON_CCAI_USERNAME"] == "demo"
    assert env["CCMON_CCAI_TOKEN"] == "ccai-test-token"
    assert len({sim.port(v) for v in ("ccai", "alo", "evo")}) == 3


def snapshot(sim: SimServer) -> list[object]:
    with sim_client(sim, "ccai") as ccai, sim_client(sim, "evo") as evo:
        return [
            ccai.get("agents/current_status").json(),
            ccai.get("calls", params={"per": 100, "sort_direction": "DESC"}).json(),
            ccai.get("menus/current_status").json(),
            ccai.get("menus/sla", params={"channel": "chat", "minutes": 30}).json(),
            evo.get("portal/activity", params={"All": "true"}).json(),
        ]


def test_the_same_sim_time_looks_the_same_however_often_it_was_polled(make_sim: MakeSim) -> None:
    polled = make_sim(speed=0, rate_limit=False)
    left_alone = make_sim(speed=0, rate_limit=False)
    for _ in range(12):
        polled.clock.advance(300)
        snapshot(polled)
    left_alone.clock.advance(3600)
    assert snapshot(polled) == snapshot(left_alone)
