"""Turn command-line options into running sources: from config, or against the simulator."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from ccmon.config.load import load_settings
from ccmon.errors import ConfigError
from ccmon.sources.base import Source
from ccmon.sources.registry import build_sources


@contextlib.contextmanager
def demo_or_configured(args: argparse.Namespace) -> Iterator[list[Source]]:
    """Sources built from settings; with ``--demo`` the simulator runs for the duration."""
    with contextlib.ExitStack() as stack:
        env = None
        if getattr(args, "demo", False):
            from ccmon.commands.demo import demo_environment

            env = stack.enter_context(demo_environment())
        settings = load_settings(args.config, profile=args.profile, env=env)
        sources = build_sources(settings)
        if not sources:
            raise ConfigError(
                "no source is configured: set CCMON_CCAI_BASE_URL (and the token) or a config "
                "file (`ccmon config path`), or try `ccmon --demo`"
            )
        yield sources
