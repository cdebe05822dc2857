"""The hub's commands as a user meets them: one line and exit 1 for every wrong setting,
``hub status`` naming the leader, a viewer's screen showing the hub's floor."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from redis.exceptions import NoPermissionError
from textual.widgets import Static

from ccmon.domain import Agent, Collection
from ccmon.engine.engine import Engine
from ccmon.hub.acl import hub_rules, viewer_rules
from ccmon.hub.connect import client
from ccmon.hub.keys import HubKeys
from ccmon.hub.status import hub_status
from ccmon.hub.viewer import HubFloor
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.wallboard import WallboardScreen
from ccmon.ui.widgets.status_bar import StatusBar
from tests.hub.test_hub_flow import agents_of, hub
from tests.support.redis_server import RedisServer, running_redis
from tests.support.waiting import eventually, wait_for, wait_until


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


WATCH_LINE = {"at", "collection", "source", "initial", "added", "removed", "changed"}
"""The keys of a ``watch`` line (``event_dict``), from a local engine or from the hub."""


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
    assert re.search(r"leader         hub-a on \S+, leading for \d+ s", out), out
    assert "viewers        1" in out
    assert "last publish" in out
    assert "never" not in out
    assert re.search(r"^lease          \d+\.\d s left", out, re.M), out
    entries = re.search(r"^stream         (\d+) entries$", out, re.M)
    assert entries is not None
    assert int(entries[1]) > 0
    memory = re.search(r"^redis memory   ([0-9.]+) KiB in (\d+) keys$", out, re.M)
    assert memory is not None
    assert float(memory[1]) > 0
    assert int(memory[2]) >= 4  # meta, health, stream, a slot at least


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
            # Redis goes away: the status bar says so in words, the rows stay on screen, and
            # the wallboard's banner says why (the hub's problem in words) and how old the data is.
            redis_server.stop()
            await wait_for(pilot, lambda: "cannot reach Redis" in str(bar.render()), 20)
            assert table.row_count == len(names)
            await pilot.press("w")
            await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen), 5)
            banner = app.screen.query_one("#wb-health", Static)
            await wait_for(pilot, lambda: _says_why_and_how_old(str(banner.render())), 5)


def _says_why_and_how_old(banner: str) -> bool:
    return bool(re.search(r"cannot reach Redis · .*DATA \S+ OLD", banner))


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


async def test_watch_from_the_hub_prints_the_engine_s_lines_without_vendor_access(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        assert isinstance(engine, Engine)
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)
        await eventually(lambda: publisher.stats.entries > 1, "something published", 20)
        result = await asyncio.to_thread(
            ccmon, "watch", "--hub", redis_server.url, "--duration", "4"
        )
        held = {a.key: a for a in engine.records(Collection.AGENTS, Agent)}
        slots = {(c.value, s) for c, s, records in engine.store.slots() if records}
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # The same lines a local watch prints: each (collection, source) starts with its initial
    # line (the whole slot), then its changes.
    assert all(set(line) == WATCH_LINE for line in lines)
    first: dict[tuple[str, str], bool] = {}
    for line in lines:
        first.setdefault((line["collection"], line["source"]), line["initial"])
    assert all(first.values()), first
    assert slots <= set(first)
    initial = [line for line in lines if line["initial"]]
    agents = [a for line in initial if line["collection"] == "agents" for a in line["added"]]
    assert {f"{a['source']}:{a['id']}" for a in agents} == set(held)
    assert {a["name"] for a in agents} == {a.name for a in held.values()}


@pytest.mark.parametrize("scheme", ["redis", "rediss"])
def test_config_show_and_help_never_print_a_hub_password(tmp_path: Path, scheme: str) -> None:
    url = f"{scheme}://screen:url-battery-9@10.0.0.5:6380/0"
    config = tmp_path / "ccmon.toml"
    config.write_text(f'[hub]\nurl = "{url}"\npassword = "table-staple-7"\n')
    shown = ccmon("config", "show", "--config", str(config))
    assert shown.returncode == 0, shown.stderr
    hub = json.loads(shown.stdout)["hub"]
    assert hub["url"] == f"{scheme}://screen:***@10.0.0.5:6380/0"  # the user stays: it helps
    assert hub["password"] == "***"
    from_env = ccmon("config", "show", env={"CCMON_HUB_URL": url})
    assert json.loads(from_env.stdout)["hub"]["url"] == f"{scheme}://screen:***@10.0.0.5:6380/0"
    helps = [ccmon(*command, "--help").stdout for command in (["hub"], ["serve"], ["watch"])]
    everything = shown.stdout + shown.stderr + from_env.stdout + from_env.stderr + "".join(helps)
    assert "url-battery-9" not in everything
    assert "table-staple-7" not in everything


def test_hub_demo_publishes_the_simulator_for_viewers(redis_server: RedisServer) -> None:
    """The README's two terminals: ``ccmon hub --demo`` and a viewer of it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "hub", "--demo", "--hub", redis_server.url],
        env={**base, "CCMON_CONFIG": os.devnull},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def leads_and_publishes() -> bool:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            out = ccmon("hub", "status", "--hub", redis_server.url).stdout
            return "leading for" in out and "stream         0 entries" not in out

        wait_until(leads_and_publishes, "hub --demo leads and publishes", within=40)
        snapshot = ccmon("snapshot", "--format", "json", "--hub", redis_server.url)
        assert snapshot.returncode == 0, snapshot.stderr
        document = json.loads(snapshot.stdout)
        assert document["agents"]
        assert {s["status"] for s in document["sources"].values()} == {"ok"}
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "leads (fence 1): polling" in err
