"""Turn command-line options into running sources: from config, or against the simulator."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from ccmon.commands.registry import SOURCE_NAMES, build_sources, checked_settings, rate_warnings
from ccmon.config.env_names import env_prefix
from ccmon.config.settings import Settings
from ccmon.errors import ConfigError
from ccmon.sources.base import Source

_SOURCE_VARIABLES = tuple(env_prefix(name) for name in SOURCE_NAMES)


def flag_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The ``[ui]`` settings given as flags: they win over the file and the environment."""
    ui = {
        "theme": getattr(args, "theme", None),
        "flash_s": getattr(args, "flash", None),
        "refresh_s": getattr(args, "refresh", None),
        "mask_pii": True if getattr(args, "mask_pii", False) else None,
        "mouse": False if getattr(args, "no_mouse", False) else None,
    }
    given = {key: value for key, value in ui.items() if value is not None}
    return {"ui": given} if given else {}


@contextlib.contextmanager
def configured(args: argparse.Namespace, **build: Any) -> Iterator[tuple[Settings, list[Source]]]:
    """Settings and the sources built from them (``build`` goes to ``build_sources``).

    With ``--demo`` the simulator runs for the duration and stands in for every source; the
    rest of the configuration (file, ``CCMON_UI_*`` ...) still applies."""
    with contextlib.ExitStack() as stack:
        env = None
        if getattr(args, "demo", False):
            from ccmon.commands.demo import demo_environment

            own = {k: v for k, v in os.environ.items() if not k.startswith(_SOURCE_VARIABLES)}
            seed = getattr(args, "seed", None)
            env = {**own, **stack.enter_context(demo_environment(seed))}
        settings = checked_settings(
            getattr(args, "config", None),
            profile=getattr(args, "profile", None),
            env=env,
            overrides=flag_overrides(args),
        )
        sources = build_sources(settings, **build)
        for line in rate_warnings(settings):
            print(line, file=sys.stderr)
        if not sources:
            raise ConfigError(
                "no source is configured: set CCMON_CCAI_BASE_URL (and the token) or a config "
                "file (`ccmon config init`), or try `ccmon --demo`"
            )
        yield settings, sources


@contextlib.contextmanager
def demo_or_configured(args: argparse.Namespace) -> Iterator[list[Source]]:
    """Sources built from settings; with ``--demo`` the simulator runs for the duration."""
    with configured(args) as (_, sources):
        yield sources
