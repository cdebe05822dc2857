"""``ccmon serve --hub URL``: the floor a hub publishes, served without vendor access."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable

import httpx

from ccmon.domain import Agent, Collection
from ccmon.sim.runner import SimServer
from tests.hub.test_hub_flow import agents_of, hub
from tests.support.redis_server import RedisServer
from tests.support.serving import bound_socket
from tests.support.waiting import eventually


async def test_serve_shows_the_hubs_floor_and_never_asks_the_vendor(
    sim: SimServer, make_sim: Callable[..., SimServer], redis_server: RedisServer
) -> None:
    probe = bound_socket()
    port = probe.getsockname()[1]
    probe.close()
    url = f"http://127.0.0.1:{port}"
    # serve is given working vendor settings too (a site's config holds both), for a
    # simulator of its own: any vendor request it sent would show in that one's log.
    bystander = make_sim(rate_limit=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    env |= {**bystander.env, "CCMON_CONFIG": os.devnull}
    async with hub(sim, redis_server) as publisher:
        engine = publisher.floor
        await eventually(lambda: len(agents_of(engine)) > 0, "the engine's agents", 20)  # type: ignore[arg-type]
        command = ["serve", "--hub", redis_server.url, "--port", str(port)]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ccmon", *command, env=env, stderr=asyncio.subprocess.PIPE
        )
        try:
            async with httpx.AsyncClient(timeout=10) as http:

                async def agents() -> set[str]:
                    try:
                        document = (await http.get(f"{url}/api/snapshot")).json()
                    except httpx.TransportError:
                        assert process.returncode is None, "serve --hub stopped"
                        return set()
                    return {f"{a['source']}:{a['id']}" for a in document["agents"]}

                held = {a.key for a in engine.records(Collection.AGENTS, Agent)}
                for _ in range(150):
                    if (await agents()) == held:
                        break
                    await asyncio.sleep(0.2)
                assert await agents() == held
                health = await http.get(f"{url}/healthz")
                assert health.status_code == 200, health.text
                assert set(health.json()["sources"]) == {"ccai", "alo", "evo"}
                metrics = (await http.get(f"{url}/metrics")).text
                assert 'ccmon_source_up{source="ccai"} 1.0' in metrics

                publisher.stop()  # the hub goes quiet: /healthz says so, in words
                for _ in range(100):
                    health = await http.get(f"{url}/healthz")
                    if health.status_code == 503:
                        break
                    await asyncio.sleep(0.2)
                assert health.status_code == 503
                assert all("hub silent for" in r for r in health.json()["reasons"])
                assert await agents() == held  # the data stays, with its age
        finally:
            process.terminate()
            async with asyncio.timeout(10):
                assert await process.wait() == 0
    assert bystander.request_log() == []
