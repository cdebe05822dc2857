"""``ccmon watch``: one JSON line per diff, for scripts (and the basis of recordings)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys

from ccmon.commands.setup import demo_or_configured
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent, event_dict
from ccmon.sources.base import Source


async def _watch(sources: list[Source], duration: float | None) -> None:
    queue: asyncio.Queue[DiffEvent] = asyncio.Queue()
    async with Engine(sources) as engine:
        engine.subscribe(queue.put_nowait)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(duration):
                while True:
                    event = await queue.get()
                    line = json.dumps(event_dict(event), ensure_ascii=False)
                    sys.stdout.write(line + "\n")
                    sys.stdout.flush()


def run_watch(args: argparse.Namespace) -> int:
    with demo_or_configured(args) as sources, contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_watch(sources, args.duration))
    return 0
