"""``ccmon snapshot``."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ccmon.commands.setup import demo_or_configured
from ccmon.snapshot.collect import Snapshot, collect
from ccmon.snapshot.render import render_json, render_table
from ccmon.sources.base import Source
from ccmon.sources.registry import SOURCE_NAMES


async def _collect(sources: list[Source], deadline_s: float) -> Snapshot:
    try:
        return await collect(sources, SOURCE_NAMES, deadline_s=deadline_s)
    finally:
        await asyncio.gather(*(source.aclose() for source in sources))


def run_snapshot(args: argparse.Namespace) -> int:
    with demo_or_configured(args) as sources:
        snapshot = asyncio.run(_collect(sources, args.deadline))
    output = render_json(snapshot) + "\n" if args.format == "json" else render_table(snapshot)
    sys.stdout.write(output)
    return 2 if snapshot.failed else 0
