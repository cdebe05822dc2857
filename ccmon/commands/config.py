"""``ccmon config path|show|init``."""

from __future__ import annotations

import argparse
import json
import os

from ccmon.commands.registry import checked_settings
from ccmon.config.load import config_path, masked
from ccmon.config.template import render_template
from ccmon.errors import ConfigError
from ccmon.files import open_private


def run_config(args: argparse.Namespace) -> int:
    path = config_path(args.config)
    if args.action == "path":
        print(path)
        return 0
    if args.action == "init":
        write_template(path, force=args.force)
        print(f"wrote a commented config to {path}")
        return 0
    settings = checked_settings(args.config, profile=args.profile)
    print(json.dumps(masked(settings), indent=2))
    return 0


def write_template(path: os.PathLike[str], *, force: bool) -> None:
    """Write the template, readable by the user alone (it may come to hold a token)."""
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        fd = open_private(path, replace=force)
    except FileExistsError:
        raise ConfigError(
            f"{path} already exists; `ccmon config init --force` replaces it"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(render_template())
