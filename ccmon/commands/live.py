"""``ccmon`` / ``ccmon --demo``: the live screen."""

from __future__ import annotations

import argparse

from ccmon.commands.hub import live_floor
from ccmon.config.settings import Settings
from ccmon.errors import ConfigError
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.themes import load_themes, user_dir


def ui_options(settings: Settings, *, wallboard: bool = False) -> UiOptions:
    """What the screen takes from the settings (flags are already merged into them)."""
    return UiOptions(
        policy=settings.sla.policy(),
        thresholds=settings.thresholds.thresholds(),
        alerts=settings.alerts.policy(),
        mask_pii=settings.ui.mask_pii or wallboard,
        flash_s=settings.ui.flash_s,
        tick_s=settings.ui.refresh_s,
        panes=tuple(settings.ui.panes),
        export_dir=settings.ui.export_dir,
    )


def check_theme(name: str) -> None:
    themes = load_themes()
    if name not in themes:
        raise ConfigError(
            f"theme {name!r} not found; bundled: {', '.join(sorted(themes))} "
            f"(or put {name}.toml in {user_dir()})"
        )


def run_live(args: argparse.Namespace) -> int:
    with live_floor(args) as (settings, engine):
        check_theme(settings.ui.theme)
        app = CcmonApp(
            engine,
            ui_options(settings, wallboard=args.wallboard),
            theme=settings.ui.theme,
            demo=args.demo,
            wallboard=args.wallboard,
            rotate_s=args.rotate,
        )
        record = getattr(args, "record", None)
        if record is not None:
            from ccmon.replay.recording import run_recorded

            run_recorded(app, engine, record, mouse=settings.ui.mouse)
        else:
            app.run(mouse=settings.ui.mouse)
    return 0
