"""``ccmon`` / ``ccmon --demo``: the live screen."""

from __future__ import annotations

import argparse

from ccmon.commands.setup import demo_or_configured
from ccmon.engine.engine import Engine
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions


def run_live(args: argparse.Namespace) -> int:
    options = UiOptions(mask_pii=args.mask_pii or args.wallboard, flash_s=args.flash)
    with demo_or_configured(args) as sources:
        app = CcmonApp(
            Engine(sources),
            options,
            theme=args.theme,
            demo=args.demo,
            wallboard=args.wallboard,
            rotate_s=args.rotate,
        )
        app.run(mouse=not args.no_mouse)
    return 0
