"""``ccmon config path|show``."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ccmon.config import locations
from ccmon.config.load import load_settings, masked


def run_config(args: argparse.Namespace) -> int:
    if args.action == "path":
        print(args.config or Path(os.environ.get("CCMON_CONFIG") or locations.config_file()))
        return 0
    settings = load_settings(args.config, profile=args.profile)
    print(json.dumps(masked(settings), indent=2))
    return 0
