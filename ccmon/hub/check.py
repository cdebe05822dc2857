"""``ccmon doctor`` on the hub: can this ccmon read a hub there, and is one publishing?

Four steps, each only if the one before worked: connect (PING), format (the meta key is a
hub of this format version), lease (a hub leads) and publish (its last health line is
recent). Only commands a viewer's ACL allows are used, so a screen's own credentials can be
checked. Every step is bounded; a password never appears in a line.
"""

from __future__ import annotations

import asyncio
import contextlib

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ccmon.doctor import FAIL, OK, SourceCheck
from ccmon.hub.connect import explain, shown_url, text
from ccmon.hub.keys import FORMAT, VERSION, HubKeys
from ccmon.hub.status import publish_age
from ccmon.hub.viewer import SILENT_AFTER_S

DEADLINE_S = 5.0
"""The whole hub check; with the sources' own deadline doctor still ends within 30 s."""
OTHER_VERSIONS = range(1, VERSION + 5)
"""Format versions whose meta key is looked for when this version's is missing."""


def _split(line: str, url: str) -> tuple[str, str | None]:
    """``hub URL: what is wrong - what to do`` → (what is wrong, what to do)."""
    line = line.removeprefix(f"hub {shown_url(url)}: ")
    what, sep, fix = line.rpartition(" - ")
    return (what, fix) if sep else (line, None)


async def check_hub(redis: aioredis.Redis, url: str, keys: HubKeys) -> SourceCheck:
    check = SourceCheck("hub")
    try:
        async with asyncio.timeout(DEADLINE_S):
            await _check(check, redis, url, keys)
    except TimeoutError:
        check.add("deadline", FAIL, f"gave up after {DEADLINE_S:g} s", "Redis is too slow")
    except (RedisError, OSError) as exc:
        check.add("redis", FAIL, *_split(explain(exc, url), url))
    finally:
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            async with asyncio.timeout(2):
                await redis.aclose()
    return check


async def _check(check: SourceCheck, redis: aioredis.Redis, url: str, keys: HubKeys) -> None:
    try:
        await redis.ping()
    except (RedisError, OSError) as exc:
        check.add("connect", FAIL, *_split(explain(exc, url), url))
        return
    check.add("connect", OK, shown_url(url))
    meta = {text(k): text(v) for k, v in (await redis.hgetall(keys.meta)).items()}
    if not await _format(check, redis, keys, meta):
        return
    leader_raw = await redis.get(keys.lease)
    leader = text(leader_raw) if leader_raw else None
    if leader is None:
        check.add(
            "lease",
            FAIL,
            "no hub holds the lease",
            "start `ccmon hub` with this url and prefix (or check that it can reach Redis)",
        )
    else:
        host = meta.get("host") if meta.get("hub") == leader else None
        check.add("lease", OK, f"hub {leader}" + (f" on {host}" if host else "") + " leads")
    age = publish_age(await redis.get(keys.health))
    if age is None:
        check.add("publish", FAIL, "no health line published", "start `ccmon hub`")
    elif age > SILENT_AFTER_S:
        fix = "the leading hub stopped publishing: check its log, its host and its clock"
        check.add("publish", FAIL, f"hub silent for {age:.0f} s", fix)
    else:
        check.add("publish", OK, f"{age:.1f} s ago")


async def _format(
    check: SourceCheck, redis: aioredis.Redis, keys: HubKeys, meta: dict[str, str]
) -> bool:
    """True when the meta key is a hub of this format version; else one FAIL row saying
    whose keys are there instead (another version, something else, nothing)."""
    if meta.get("format") == FORMAT and meta.get("version") == str(VERSION):
        check.add("format", OK, f"{FORMAT} v{VERSION} (hub ccmon {meta.get('ccmon', '?')})")
        return True
    if meta and meta.get("format") != FORMAT:
        what = f"the keys under {keys.prefix!r} were not written by a ccmon hub"
        check.add("format", FAIL, what, "give this floor another [hub] prefix")
        return False
    if meta:
        return _other_version(check, keys, meta.get("version", "?"), meta)
    for version in OTHER_VERSIONS:
        if version == VERSION:
            continue
        other = f"{keys.prefix}:v{version}:meta"
        found = {text(k): text(v) for k, v in (await redis.hgetall(other)).items()}
        if found.get("format") == FORMAT:
            return _other_version(check, keys, str(version), found)
    check.add(
        "format",
        FAIL,
        f"no hub has published under prefix {keys.prefix!r}",
        "start `ccmon hub` with the same url and [hub] prefix",
    )
    return False


def _other_version(check: SourceCheck, keys: HubKeys, version: str, meta: dict[str, str]) -> bool:
    age = "a newer" if version.isdigit() and int(version) > VERSION else "an older"
    what = (
        f"the hub under {keys.prefix!r} writes format v{version} "
        f"({age} ccmon, {meta.get('ccmon', '?')}); this ccmon reads v{VERSION}"
    )
    check.add("format", FAIL, what, "run the same ccmon version on the hub and on its viewers")
    return False
