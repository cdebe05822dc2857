"""``ccmon report``: a day's intervals from the history; ``ccmon history path``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from ccmon.commands.registry import checked_settings
from ccmon.config.settings import Settings
from ccmon.errors import ConfigError
from ccmon.history.days import local_day
from ccmon.history.report import (
    DayReport,
    read_day,
    render_csv,
    render_markdown,
    render_table,
)
from ccmon.history.setup import history_path
from ccmon.history.store import HistoryUnavailable


def _settings(args: argparse.Namespace) -> Settings:
    return checked_settings(getattr(args, "config", None), profile=getattr(args, "profile", None))


def today_report(settings: Settings, *, demo: bool = False) -> DayReport:
    """Today's floor intervals (``snapshot --intervals``): no rows when nothing is recorded."""
    path = history_path(settings, demo=demo)
    day, minutes, policy = (
        local_day(datetime.now(UTC)),
        settings.history.interval_min,
        settings.sla.policy(),
    )
    try:
        report = read_day(path, day, interval_min=minutes, policy=policy)
    except HistoryUnavailable as exc:
        raise ConfigError(f"history {path}: {exc}") from None
    return report or DayReport(day, minutes, None, None, [], policy)


def run_report(args: argparse.Namespace) -> int:
    settings = _settings(args)
    demo = getattr(args, "demo", False)
    path = history_path(settings, demo=demo)
    day: date = args.date or local_day(datetime.now(UTC))
    try:
        report = read_day(
            path,
            day,
            interval_min=settings.history.interval_min,
            policy=settings.sla.policy(),
            queue=args.queue,
        )
    except HistoryUnavailable as exc:
        raise ConfigError(f"history {path}: {exc}") from None
    if report is None:
        raise ConfigError(
            f"no history for {day.isoformat()} in {path}: ccmon records while the screen, "
            "`ccmon watch` or `ccmon hub` runs (see `ccmon history path`)"
        )
    if args.queue and not report.rows:
        raise ConfigError(f"no contacts of queue {args.queue!r} on {day.isoformat()}")
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(report.document(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(render_csv(report))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report))
    else:
        sys.stdout.write(render_table(report))
    return 0


def run_history(args: argparse.Namespace) -> int:
    """``ccmon history path``: where the history is kept (it may not exist yet)."""
    print(history_path(_settings(args), demo=getattr(args, "demo", False)))
    return 0
