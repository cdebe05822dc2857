"""``rediss://`` against a real redis-server speaking TLS, with an ACL user in the URL: the
hub publishes, ``hub status`` and ``snapshot`` read it, and an untrusted certificate is one
line that says what to give (not a guess that the server is plain)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccmon.domain import Agent, Collection
from ccmon.hub.acl import viewer_rules
from ccmon.hub.connect import client
from ccmon.sim.runner import SimServer
from tests.hub.test_hub_cli import ccmon
from tests.hub.test_hub_flow import agents_of, hub
from tests.support.redis_server import RedisServer
from tests.support.waiting import eventually

TLS = Path(__file__).parent / "tls"
CA = TLS / "ca.crt"


class TlsRedis(RedisServer):
    """redis-server with only a TLS port; ``url`` trusts the test CA (``ssl_ca_certs``)."""

    @property
    def url(self) -> str:
        return f"rediss://127.0.0.1:{self.port}/0?ssl_ca_certs={CA}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server is not installed: apt-get install redis-server"
        argv = [binary, "--port", "0", "--tls-port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--tls-cert-file", str(TLS / "server.crt"), "--tls-key-file"]
        argv += [str(TLS / "server.key"), "--tls-ca-cert-file", str(CA)]
        argv += ["--tls-auth-clients", "no", "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(self.directory)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        async def answers() -> bool:
            redis = client(self.url)
            try:
                return bool(await redis.ping())
            except Exception:
                assert self.process is not None
                assert self.process.poll() is None, "redis-server (TLS) exited"
                return False
            finally:
                await redis.aclose()

        async def wait() -> None:
            for _ in range(100):
                if await answers():
                    return
                await asyncio.sleep(0.1)
            pytest.fail("redis-server (TLS) did not answer within 10 s")

        asyncio.run(wait())


@pytest.fixture
def tls_redis(tmp_path: Path) -> Iterator[TlsRedis]:
    server = TlsRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_an_untrusted_certificate_says_to_give_the_ca(tls_redis: TlsRedis) -> None:
    result = ccmon("hub", "status", "--hub", f"rediss://127.0.0.1:{tls_redis.port}/0")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "certificate" in line
    assert "ssl_ca_certs=" in line
    assert "plain redis://" not in line


async def test_hub_and_viewers_over_tls_with_an_acl_user(
    sim: SimServer, tls_redis: TlsRedis
) -> None:
    admin = client(tls_redis.url)
    acl = ("ACL", "SETUSER", "screen", "on", ">screen-pw-5", *viewer_rules().split())
    await admin.execute_command(*acl)  # type: ignore[no-untyped-call]
    await admin.aclose()
    viewer_url = f"rediss://screen:screen-pw-5@127.0.0.1:{tls_redis.port}/0?ssl_ca_certs={CA}"
    async with hub(sim, tls_redis) as publisher:
        engine = publisher.floor
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)  # type: ignore[arg-type]
        await eventually(lambda: publisher.stats.entries > 1, "something published", 20)
        status = await asyncio.to_thread(ccmon, "hub", "status", "--hub", tls_redis.url)
        snapshot = await asyncio.to_thread(
            ccmon, "snapshot", "--format", "json", "--hub", viewer_url
        )
        held = {a.key for a in engine.records(Collection.AGENTS, Agent)}
    assert status.returncode == 0, status.stderr
    # The publisher alone (no lease in this test): its writes are what status reads.
    assert re.search(r"^last publish   [0-9.]+ s ago", status.stdout, re.M), status.stdout
    assert re.search(r"^stream         [1-9][0-9]* entries", status.stdout, re.M)
    assert snapshot.returncode == 0, snapshot.stderr
    document = json.loads(snapshot.stdout)
    assert len(document["agents"]) == len(held)
    assert "screen-pw-5" not in status.stdout + status.stderr + snapshot.stdout + snapshot.stderr
