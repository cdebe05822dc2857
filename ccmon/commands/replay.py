"""``ccmon replay FILE``: a recording (``--record``) played back in the live screen."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from ccmon.commands.live import check_theme, ui_options
from ccmon.commands.registry import checked_settings
from ccmon.commands.setup import flag_overrides
from ccmon.errors import ConfigError
from ccmon.replay.reader import read_recording


def run_replay(args: argparse.Namespace) -> int:
    from ccmon.replay.app import ReplayApp
    from ccmon.replay.engine import MAX_SPEED, MIN_SPEED, ReplayEngine

    if not MIN_SPEED <= args.speed <= MAX_SPEED:
        raise ConfigError(
            f"--speed {args.speed:g}: give a speed from {MIN_SPEED:g} to {MAX_SPEED:g}"
        )
    recording = read_recording(args.file)  # not a recording: ConfigError, before the screen
    for warning in recording.warnings:
        print(f"ccmon: {warning}", file=sys.stderr)
    # The screen's settings (theme, SLA, thresholds, masking) come from the config as live;
    # sources are not built: nothing is fetched.
    settings = checked_settings(args.config, profile=args.profile, overrides=flag_overrides(args))
    check_theme(settings.ui.theme)
    engine = ReplayEngine(recording, speed=args.speed)
    options = ui_options(settings, wallboard=args.wallboard)
    options = dataclasses.replace(
        options,
        wall=engine.wall,  # "time in state" is counted on the recorded clock
        # Alerts still show on screen, but a replay must not post to chat or ring the bell.
        alerts=dataclasses.replace(options.alerts, command=None, bell=False),
    )
    app = ReplayApp(
        engine,
        options,
        warnings=tuple(recording.warnings),
        theme=settings.ui.theme,
        wallboard=args.wallboard,
        rotate_s=args.rotate,
    )
    app.run(mouse=settings.ui.mouse)
    return 0
