"""``ccmon snapshot`` and ``ccmon --once``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from ccmon.commands.hub import hub_url, viewer
from ccmon.commands.registry import SOURCE_NAMES, checked_settings
from ccmon.commands.setup import configured
from ccmon.config.settings import Settings
from ccmon.domain import Collection
from ccmon.errors import ConfigError
from ccmon.hub.viewer import HubFloor
from ccmon.snapshot.collect import DEFAULT_DEADLINE_S, Snapshot, collect, floor_snapshot
from ccmon.snapshot.csv import render_csv
from ccmon.snapshot.privacy import mask_pii
from ccmon.snapshot.render import render_table, to_document
from ccmon.sources.base import Source

if TYPE_CHECKING:
    from ccmon.history.report import DayReport


async def _from_hub(floor: HubFloor, deadline_s: float) -> Snapshot:
    """Load the hub's state once (within the deadline) and describe it; a hub that cannot
    be read is a usage error (exit 1), like a wrong setting."""
    floor.start()
    try:
        async with asyncio.timeout(deadline_s):
            await floor.loaded.wait()
        return floor_snapshot(floor, SOURCE_NAMES)
    except TimeoutError:
        raise ConfigError(floor.problem or "hub: nothing arrived before the deadline") from None
    finally:
        await floor.stop()


def _read(args: argparse.Namespace, deadline_s: float) -> tuple[Settings, Snapshot]:
    """The snapshot from the hub when one is configured, else from the sources."""
    if not getattr(args, "demo", False):
        settings = checked_settings(
            getattr(args, "config", None), profile=getattr(args, "profile", None)
        )
        url = hub_url(args, settings)
        if url is not None:
            return settings, asyncio.run(_from_hub(viewer(url, settings.hub), deadline_s))
    with configured(args) as (settings, sources):
        return settings, asyncio.run(_collect(sources, deadline_s))


async def _collect(sources: list[Source], deadline_s: float) -> Snapshot:
    try:
        return await collect(sources, SOURCE_NAMES, deadline_s=deadline_s)
    finally:
        await asyncio.gather(*(source.aclose() for source in sources))


def _exit_code(snapshot: Snapshot) -> int:
    """2 if a source failed, with one ``ccmon: …`` line per failed source on stderr (stdout
    still has the document: what the other sources, and this one before it failed, sent)."""
    for report in snapshot.sources.values():
        if report.status == "error" and report.error:
            print(f"ccmon: {report.error}", file=sys.stderr)
    return 2 if snapshot.failed else 0


def run_snapshot(args: argparse.Namespace) -> int:
    if args.format == "csv" and args.pane is None:
        panes = ", ".join(c.value for c in Collection)
        raise ConfigError(f"snapshot --format csv needs --pane, one of: {panes}")
    if args.pane is not None and args.format != "csv":
        raise ConfigError("--pane goes with --format csv (json and table show every pane)")
    if args.raw and args.format != "csv":
        raise ConfigError("--raw goes with --format csv --pane (json is the records already)")
    if args.intervals and args.format == "csv":
        raise ConfigError("--intervals goes with --format json or table (or see `ccmon report`)")
    if args.forecast and args.format != "json":
        raise ConfigError("--forecast goes with --format json")
    settings, snapshot = _read(args, args.deadline)
    if args.mask_pii:
        snapshot = mask_pii(snapshot)
    if args.format == "csv":
        if args.raw:
            sys.stdout.write(render_csv(snapshot, Collection(args.pane)))
        else:
            from ccmon.ui.export import snapshot_csv
            from ccmon.ui.options import UiOptions

            # Only what changes the figures: the customer column is masked above already.
            options = UiOptions(
                policy=settings.sla.policy(), thresholds=settings.thresholds.thresholds()
            )
            sys.stdout.write(snapshot_csv(snapshot, Collection(args.pane), options))
    elif args.format == "json":
        document = to_document(snapshot, settings.sla.policy(), forecast=args.forecast)
        if args.intervals:
            document["intraday"] = _today(args, settings).document()
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_table(snapshot, settings.sla.policy()))
        if args.intervals:
            from ccmon.history.report import render_table as intraday_table

            sys.stdout.write("\n" + intraday_table(_today(args, settings)))
    return _exit_code(snapshot)


def _today(args: argparse.Namespace, settings: Settings) -> DayReport:
    """Today's interval rows from the history (read only: a snapshot records nothing)."""
    from ccmon.commands.report import today_report

    return today_report(settings, demo=getattr(args, "demo", False))


def run_once(args: argparse.Namespace) -> int:
    """``ccmon --once``: what the screen would show, as ``snapshot --format table`` prints it,
    masked as the screen would be (``--mask-pii``, ``ui.mask_pii``, ``--wallboard``)."""
    settings, snapshot = _read(args, DEFAULT_DEADLINE_S)
    if settings.ui.mask_pii or args.wallboard:
        snapshot = mask_pii(snapshot)
    sys.stdout.write(render_table(snapshot, settings.sla.policy()))
    return _exit_code(snapshot)
