"""``ccmon doctor``: a table of what works per source, then what to fix; exit 0, 2 or 1."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from ccmon.commands.registry import SOURCE_NAMES
from ccmon.commands.setup import configured
from ccmon.config.settings import SourceSettings
from ccmon.doctor import FAIL, check_sources
from ccmon.http import RetryPolicy
from ccmon.snapshot.render import table

ONE_ATTEMPT = RetryPolicy(attempts=1, rate_limited_s=0.0)  # one request, whatever comes back
"""Doctor sends one request per source: a retry would hide what went wrong, and cost budget."""


def run_doctor(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with configured(args, retry=ONE_ATTEMPT) as (settings, sources):

        def section(name: str) -> SourceSettings:
            found: SourceSettings = getattr(settings, name)
            return found

        results = asyncio.run(check_sources(sources, section))
    checked = {result.name for result in results}
    rows = [(c.source, c.step, c.result, c.detail) for r in results for c in r.checks]
    print(f"ccmon doctor: {len(results)} source(s) in {time.monotonic() - started:.1f} s")
    print(table("Checks", ("SOURCE", "CHECK", "RESULT", "DETAIL"), rows))
    fixes = [f"  {c.source}: {c.fix}" for r in results for c in r.checks if c.fix]
    if fixes:
        print("\nWhat to fix:", *fixes, sep="\n")
    off = [name for name in SOURCE_NAMES if name not in checked]
    if off:
        print(f"\nNot configured: {', '.join(off)} (see `ccmon config init`)")
    for result in results:  # as snapshot does: one line per failed source on stderr
        failed = next((c for c in result.checks if c.result == FAIL), None)
        if failed is not None:
            print(f"ccmon: {result.name}: {failed.step} failed: {failed.detail}", file=sys.stderr)
    return 0 if all(result.ok for result in results) else 2
