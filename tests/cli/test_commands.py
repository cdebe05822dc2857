"""Every command the parser offers runs something, and only its own module is imported."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from ccmon.cli import RUNNERS, build_parser


def _commands() -> set[str]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_every_command_has_a_runner_that_exists() -> None:
    assert _commands() - {"sim"} == {name for name in RUNNERS if name not in (None, "once")}
    for module, function in RUNNERS.values():
        assert callable(getattr(importlib.import_module(module), function))


def test_help_loads_no_command_module() -> None:
    """``--help`` stays fast: none of the commands (Textual, httpx, the simulator) loads."""
    code = (
        "import sys\nfrom ccmon.cli import build_parser\nbuild_parser().format_help()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ccmon.commands', 'textual', "
        "'httpx', 'uvicorn'))))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert shown.stdout.strip() == "[]"
