"""``ccmon watch``: one JSON line per diff, for scripts (and the basis of recordings)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys

from ccmon.commands.hub import live_floor
from ccmon.engine.events import DiffEvent, event_dict
from ccmon.engine.floor import Floor
from ccmon.replay.recording import Recorder

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Like the end of ``--duration``: the recording gets its end, the exit is quiet (0)."""


async def _watch(floor: Floor, duration: float | None, recorder: Recorder | None) -> None:
    queue: asyncio.Queue[DiffEvent] = asyncio.Queue()
    floor.subscribe(queue.put_nowait)
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as running:
        if recorder is not None:
            await running.enter_async_context(recorder)
        floor.start()
        running.push_async_callback(floor.stop)
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


def _say(line: str) -> None:
    print(f"ccmon: {line}", file=sys.stderr, flush=True)


def run_watch(args: argparse.Namespace) -> int:
    with live_floor(args, say=_say) as (_, engine):
        record = getattr(args, "record", None)
        recorder = Recorder(record, engine) if record is not None else None
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_watch(engine, args.duration, recorder))
    if recorder is not None:
        recorder.raise_if_failed()
    return 0
