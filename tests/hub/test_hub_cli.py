"""The hub's commands as a user meets them: one line and exit 1 for every wrong setting,
``hub status`` naming the leader, a viewer's screen showing the hub's floor."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis.exceptions import NoPermissionError

from ccmon.domain import Agent, Collection
from ccmon.hub.acl import hub_rules, viewer_rules
from ccmon.hub.connect import client
from ccmon.hub.keys import HubKeys
from ccmon.hub.status import hub_status
from ccmon.hub.viewer import HubFloor
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.status_bar import StatusBar
from tests.hub.test_hub_flow import agents_of, hub
from tests.support.redis_server import RedisServer, running_redis
from tests.support.waiting import eventually, wait_for


def ccmon(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    return subprocess.run(
        [sys.executable, "-m", "ccmon", *args],
        env={**base, "CCMON_CONFIG": os.devnull, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["hub", "status", "--hub", "http://redis:6379"], "is not a Redis URL"),
        (["hub", "status", "--hub", "redis://127.0.0.1:9/0"], "cannot reach Redis"),
        (["hub", "--hub", "redis://127.0.0.1:9/0", "--demo"], "cannot reach Redis"),
        (["watch", "--hub", "redis:///"], "names no host"),
        (["snapshot", "--hub", "redis://127.0.0.1:9/0", "--deadline", "3"], "cannot reach Redis"),
        (["--demo", "--hub", "redis://127.0.0.1:9/0"], "exclude each other"),
    ],
)
def test_a_wrong_hub_setting_is_one_line_and_exit_1(args: list[str], says: str) -> None:
    result = ccmon(*args)
    assert result.returncode == 1
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_wrong_password_is_named_and_never_printed(tmp_path: Path) -> None:
    with running_redis(tmp_path, password="right-horse") as server:
        url = f"redis://:wrong-battery@127.0.0.1:{server.port}/0"
        result = ccmon("hub", "status", "--hub", url)
        assert result.returncode == 1
        assert "refused the credentials" in result.stderr
        assert "wrong-battery" not in result.stderr
        assert ":***@" in result.stderr
        result = ccmon("hub", "status", "--hub", server.url.replace("right-horse", ""))
        assert result.returncode == 1
        assert "password" in result.stderr


def test_tls_to_a_plain_server_says_what_to_fix(redis_server: RedisServer) -> None:
    result = ccmon("hub", "status", "--hub", redis_server.url.replace("redis://", "rediss://"))
    assert result.returncode == 1
    assert "TLS" in result.stderr or "rediss" in result.stderr


async def test_hub_status_names_the_leader_and_counts_viewers(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server, hub_id="hub-a") as publisher:
        await publisher.redis.set(HubKeys().lease, "hub-a", px=10_000)
        viewer = HubFloor(client(redis_server.url), url=redis_server.url)
        viewer.start()
        try:
            await asyncio.wait_for(viewer.loaded.wait(), 20)
            result = await asyncio.to_thread(ccmon, "hub", "status", "--hub", redis_server.url)
        finally:
            await viewer.stop()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "leader         hub-a" in out
    assert "viewers        1" in out
    assert "last publish" in out
    assert "never" not in out


async def test_the_screen_of_a_viewer_shows_the_hub_s_floor(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        await asyncio.sleep(0)
        floor = HubFloor(client(redis_server.url), url=redis_server.url)
        app = CcmonApp(floor)
        async with app.run_test(size=(160, 50)) as pilot:
            await wait_for(pilot, lambda: len(agents_of(floor)) > 0, 30)
            names = {a.name for a in floor.records(Collection.AGENTS, Agent)}
            assert names == {a.name for a in engine.records(Collection.AGENTS, Agent)}
            await wait_for(pilot, lambda: "ccai" in str(app.query_one(StatusBar).render()), 10)
            table = app.pane("agents").table
            await wait_for(pilot, lambda: table.row_count == len(names), 10)
            # The status bar names the hub the data comes from.
            bar = app.query_one(StatusBar)
            await wait_for(pilot, lambda: f"HUB {publisher.hub_id}" in str(bar.render()), 10)


async def test_viewers_and_hubs_work_under_the_documented_acls(
    sim: SimServer, redis_server: RedisServer
) -> None:
    admin = client(redis_server.url)
    for user, password, rules in (
        ("viewer", "view-pw", viewer_rules()),
        ("hub", "hub-pw", hub_rules()),
    ):
        acl = ("ACL", "SETUSER", user, "on", f">{password}", *rules.split())
        await admin.execute_command(*acl)  # type: ignore[no-untyped-call]
    await admin.aclose()
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert viewer_rules() in readme
    assert hub_rules() in readme
    port = redis_server.port
    hub_url = f"redis://hub:hub-pw@127.0.0.1:{port}/0"
    viewer_url = f"redis://viewer:view-pw@127.0.0.1:{port}/0"
    async with hub(sim, redis_server, redis_client=client(hub_url)) as publisher:
        engine = publisher.floor
        floor = HubFloor(client(viewer_url), url=viewer_url)
        floor.start()
        try:
            await asyncio.wait_for(floor.loaded.wait(), 20)
            await eventually(lambda: len(agents_of(floor)) > 0, "agents via the ACL user", 20)
            assert floor.problem is None
            assert publisher.stats.error is None
            # The viewer cannot write the hub's data.
            with pytest.raises(NoPermissionError):
                await floor.redis.hset(HubKeys().meta, "hub", "someone else")
            status = await hub_status(client(hub_url), HubKeys())
            assert status.viewers == 1
        finally:
            await floor.stop()
    assert engine is not None


def test_the_password_can_come_from_a_command(tmp_path: Path) -> None:
    with running_redis(tmp_path, password="right-horse") as server:
        url = f"redis://127.0.0.1:{server.port}/0"
        result = ccmon(
            "hub", "status", "--hub", url, env={"CCMON_HUB_PASSWORD_COMMAND": "echo right-horse"}
        )
        assert result.returncode == 0, result.stderr
        assert "leader         none" in result.stdout
        assert "right-horse" not in result.stdout + result.stderr


async def test_a_snapshot_from_the_hub_is_the_engine_s_document_without_vendor_access(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)  # type: ignore[arg-type]
        await eventually(lambda: publisher.stats.entries > 1, "something published", 20)
        result = await asyncio.to_thread(
            ccmon, "snapshot", "--format", "json", "--hub", redis_server.url
        )
        held = {a.key for a in engine.records(Collection.AGENTS, Agent)}
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {f"{a['source']}:{a['id']}" for a in document["agents"]} <= held | set()
    assert len(document["agents"]) == len(held)
    assert set(document["sources"]) == {"ccai", "alo", "evo"}
    assert "floor" in document
