"""``ccmon watch``: one JSON line per diff, for scripts (and the basis of recordings)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys

from ccmon.commands.setup import demo_or_configured
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent, event_dict
from ccmon.replay.recording import Recorder

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Like the end of ``--duration``: the recording gets its end, the exit is quiet (0)."""


async def _watch(engine: Engine, duration: float | None, recorder: Recorder | None) -> None:
    queue: asyncio.Queue[DiffEvent] = asyncio.Queue()
    engine.subscribe(queue.put_nowait)
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as running:
        if recorder is not None:
            await running.enter_async_context(recorder)
        await running.enter_async_context(engine)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(duration) as until:
                for sig in STOP_SIGNALS:  # end now: a deadline already past
                    loop.add_signal_handler(sig, until.reschedule, 0.0)
                    running.callback(loop.remove_signal_handler, sig)
                while True:
                    event = await queue.get()
                    line = json.dumps(event_dict(event), ensure_ascii=False)
                    sys.stdout.write(line + "\n")
                    sys.stdout.flush()


def run_watch(args: argparse.Namespace) -> int:
    with demo_or_configured(args) as sources:
        engine = Engine(sources)
        record = getattr(args, "record", None)
        recorder = Recorder(record, engine) if record is not None else None
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_watch(engine, args.duration, recorder))
    if recorder is not None:
        recorder.raise_if_failed()
    return 0
