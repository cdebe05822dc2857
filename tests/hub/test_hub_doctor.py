"""``ccmon doctor`` checks the hub: reachable, the same format version, a leader, a recent
publish; each wrong thing is one row with what to do, and a password is never shown."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from redis.asyncio import Redis

from ccmon.doctor import FAIL, OK, SourceCheck
from ccmon.hub.acl import viewer_rules
from ccmon.hub.check import check_hub
from ccmon.hub.connect import client
from ccmon.hub.keys import FORMAT, VERSION, HubKeys
from ccmon.sim.runner import SimServer
from tests.hub.test_hub_cli import ccmon
from tests.hub.test_hub_flow import hub
from tests.support.redis_server import RedisServer, free_port, running_redis


def hub_rows(out: str) -> dict[str, tuple[str, str]]:
    """check → (result, detail) of the doctor table's hub rows."""
    found = {}
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) >= 3 and parts[0] == "hub":
            found[parts[1]] = (parts[2], parts[3] if len(parts) > 3 else "")
    return found


async def checked(server: RedisServer, prefix: str = "ccmon") -> SourceCheck:
    return await check_hub(client(server.url), server.url, HubKeys(prefix))


def results(check: SourceCheck) -> dict[str, tuple[str, str, str | None]]:
    return {c.step: (c.result, c.detail, c.fix) for c in check.checks}


async def test_a_publishing_hub_passes_under_a_viewer_s_own_acl(
    sim: SimServer, redis_server: RedisServer
) -> None:
    async with hub(sim, redis_server, hub_id="hub-a") as publisher:
        await publisher.redis.set(HubKeys().lease, "hub-a", px=10_000)
        acl = ("ACL", "SETUSER", "screen", "on", ">s3cret-pw", *viewer_rules().split())
        await publisher.redis.execute_command(*acl)  # type: ignore[no-untyped-call]
        await asyncio.wait_for(_published(publisher.redis), 20)
        url = f"redis://screen:s3cret-pw@127.0.0.1:{redis_server.port}/0"
        # No vendor source is configured: a screen that reads the hub needs none.
        result = await asyncio.to_thread(ccmon, "doctor", "--hub", url)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = hub_rows(result.stdout)
    assert [step for step, (res, _) in rows.items() if res != OK] == [], result.stdout
    assert set(rows) == {"connect", "format", "lease", "publish"}
    assert rows["lease"][1].startswith("hub hub-a on ")
    assert f"v{VERSION}" in rows["format"][1]
    assert "s3cret-pw" not in result.stdout + result.stderr
    assert "screen:***@" in result.stdout
    assert (
        "Not configured: ccai, alo, evo (this ccmon reads the hub: it needs none)" in result.stdout
    )


async def _published(redis: Redis) -> None:
    while not await redis.exists(HubKeys().health):  # noqa: ASYNC110 - polling Redis
        await asyncio.sleep(0.1)


def test_an_unreachable_hub_is_a_row_with_the_fix_and_exit_2() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = ccmon("doctor", "--hub", url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert hub_rows(result.stdout)["connect"][0] == FAIL
    assert hub_rows(result.stdout)["connect"][1].startswith("cannot reach Redis")
    assert "is redis-server running there?" in result.stdout  # under "What to fix"
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("ccmon: hub:")
    ]
    assert "Traceback" not in result.stderr


def test_refused_credentials_are_named_and_the_password_never_shown(tmp_path: Path) -> None:
    with running_redis(tmp_path, password="right-horse") as server:
        url = f"redis://:wrong-battery@127.0.0.1:{server.port}/0"
        result = ccmon("doctor", "--hub", url)
    assert result.returncode == 2
    assert hub_rows(result.stdout)["connect"][0] == FAIL
    assert "refused the credentials" in result.stdout
    assert "check the user and password" in result.stdout
    assert "wrong-battery" not in result.stdout + result.stderr
    assert "right-horse" not in result.stdout + result.stderr


async def test_an_empty_redis_or_a_wrong_prefix_says_no_hub_has_published(
    redis_server: RedisServer,
) -> None:
    check = await checked(redis_server, "floor9")
    assert not check.ok
    result, detail, fix = results(check)["format"]
    assert result == FAIL
    assert "no hub has published under prefix 'floor9'" in detail
    assert "prefix" in (fix or "")


@pytest.mark.parametrize(
    ("key_version", "version", "word"),
    [(VERSION + 1, VERSION + 1, "a newer"), (VERSION, 0, "an older")],
)
async def test_a_hub_of_another_format_version_is_named(
    redis_server: RedisServer, key_version: int, version: int, word: str
) -> None:
    """A newer hub writes under its own version's keys; an older one's meta says its own."""
    redis = client(redis_server.url)
    meta = {"format": FORMAT, "version": str(version), "ccmon": "9.9.0"}
    await redis.hset(f"ccmon:v{key_version}:meta", mapping=meta)  # type: ignore[arg-type]
    await redis.aclose()
    result, detail, fix = results(await checked(redis_server))["format"]
    assert result == FAIL
    assert f"writes format v{version} ({word} ccmon, 9.9.0)" in detail
    assert f"this ccmon reads v{VERSION}" in detail
    assert fix == "run the same ccmon version on the hub and on its viewers"


async def test_keys_written_by_something_else_are_not_a_hub(redis_server: RedisServer) -> None:
    redis = client(redis_server.url)
    await redis.hset(HubKeys().meta, mapping={"owner": "someone else"})
    await redis.aclose()
    result, detail, _ = results(await checked(redis_server))["format"]
    assert result == FAIL
    assert detail == "the keys under 'ccmon' were not written by a ccmon hub"


async def test_no_leader_and_a_silent_hub_are_each_one_row(redis_server: RedisServer) -> None:
    keys = HubKeys()
    redis = client(redis_server.url)
    meta = {"format": FORMAT, "version": str(VERSION), "ccmon": "1", "hub": "gone"}
    await redis.hset(keys.meta, mapping=meta)  # type: ignore[arg-type]
    await redis.set(keys.health, json.dumps({"at": time.time() - 42, "sources": []}))
    await redis.aclose()
    found = results(await checked(redis_server))
    assert (found["connect"][0], found["format"][0]) == (OK, OK)
    assert found["lease"][:2] == (FAIL, "no hub holds the lease")
    assert "start `ccmon hub`" in (found["lease"][2] or "")
    assert found["publish"][0] == FAIL
    assert found["publish"][1] in ("hub silent for 42 s", "hub silent for 43 s")
