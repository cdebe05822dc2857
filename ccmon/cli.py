"""Command line: ``ccmon`` (live TUI), ``snapshot``, ``sim``, ``config``.

Imports stay inside the commands so ``--version`` and ``--help`` answer without loading
Textual or httpx. Every expected failure ends with one line on stderr and exit code 1
(usage, configuration) or 2 (a source could not be read); never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from ccmon import __version__

EXIT_OK, EXIT_USAGE, EXIT_SOURCE = 0, 1, 2
PANES = ("agents", "queues", "sla", "interactions", "actions", "periods")
"""The collections ``snapshot --format csv --pane`` prints (``ccmon.domain.Collection``)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 1 with one line, like every other usage error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _positive_seconds(text: str) -> float:
    """A duration flag's value: a number of seconds above zero (argparse names the flag)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text}")
    return value


def _common(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # A subcommand repeats the common options without defaults of its own, so that
    # `ccmon --config X snapshot` keeps X (argparse lets a subparser's defaults win).
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="config file (default: see `ccmon config path`)",
        **default,
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="use [profiles.NAME] from the config", **default
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in simulated contact center (no account needed)",
        **default,
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="with --demo: simulate another day (default 1; the same N, the same day)",
        **default,
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        help="how much goes to the log file (default warning; never to the screen)",
        **default,
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="log here instead of the platform's log directory",
        **default,
    )


def _hub_option(parser: argparse.ArgumentParser, help: str, *, sub: bool = True) -> None:
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {"default": None}
    parser.add_argument("--hub", metavar="URL", help=help, **default)


VIEW_FROM_HUB = "read the floor from a `ccmon hub` at this Redis URL (hub.url); no vendor access"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ccmon",
        description="Live terminal monitor for contact centers: agents, queues, service level, "
        "recent calls and chats, and the ALO.ai action board.",
        epilog="Connection settings come from the config file and CCMON_* environment variables "
        "(CCMON_CCAI_BASE_URL, CCMON_CCAI_USERNAME, CCMON_CCAI_TOKEN, CCMON_ALO_BASE_URL, "
        "CCMON_ALO_TOKEN, CCMON_EVO_BASE_URL, CCMON_EVO_TOKEN); any setting can be "
        "CCMON_<SECTION>_<KEY>. Precedence: default < config file < --profile < environment "
        "< flags. `ccmon config init` writes a commented config; `ccmon doctor` checks the "
        "sources. Exit codes: 0 ok, 1 usage or configuration error, 2 a source could not be "
        "read.",
    )
    parser.add_argument("--version", action="version", version=f"ccmon {__version__}")
    _common(parser, sub=False)
    _hub_option(parser, VIEW_FROM_HUB, sub=False)
    _add_screen_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    _add_snapshot(commands)
    _add_watch(commands)
    _add_hub(commands)
    _add_serve(commands)
    _add_replay(commands)
    _add_sim(commands)
    _add_doctor(commands)
    _add_config(commands)
    _add_report(commands)
    _add_history(commands)
    return parser


def _day(text: str) -> date:
    """``--date``'s value: a calendar day, YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day as YYYY-MM-DD") from None


def _add_screen_options(parser: argparse.ArgumentParser) -> None:
    """The flags of the live screen (``ccmon`` with no command)."""
    screen = parser.add_argument_group("the live screen")
    screen.add_argument(
        "--theme",
        metavar="NAME",
        help="dark (default), light, ansi, mono, or a theme file of yours (ui.theme)",
    )
    screen.add_argument(
        "--wallboard",
        action="store_true",
        help="big numbers for a wall screen, no chrome (PII masked)",
    )
    screen.add_argument(
        "--rotate",
        type=float,
        default=0.0,
        metavar="S",
        help="wallboard: turn pages every S seconds",
    )
    screen.add_argument(
        "--mask-pii",
        action="store_true",
        help="mask caller numbers, e-mails and customer names (ui.mask_pii)",
    )
    screen.add_argument(
        "--flash",
        type=float,
        metavar="S",
        help="how long a change stays highlighted (default 3; ui.flash_s)",
    )
    screen.add_argument(
        "--no-mouse",
        action="store_true",
        help="leave the mouse to the terminal (text selection over SSH/tmux; ui.mouse)",
    )
    screen.add_argument(
        "--refresh",
        type=float,
        metavar="S",
        help="redraw the screen every S seconds (default 1; ui.refresh_s); "
        "larger is kinder to slow SSH links",
    )
    screen.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="also write every change to FILE (gzip JSON lines) for `ccmon replay FILE`",
    )
    screen.add_argument(
        "--once",
        action="store_true",
        help="read every source once, print what the screen would show as plain text, exit "
        "(like `snapshot --format table`)",
    )


def _add_snapshot(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon snapshot``: one document of the whole floor."""
    snap = commands.add_parser(
        "snapshot", help="read every configured source once, print one document, exit"
    )
    _common(snap)
    _hub_option(snap, VIEW_FROM_HUB)
    snap.add_argument("--format", choices=("json", "table", "csv"), default="table")
    snap.add_argument(
        "--pane",
        choices=PANES,
        help="with --format csv: the pane to print, its columns as the screen shows them",
    )
    snap.add_argument(
        "--raw",
        action="store_true",
        help="with --format csv --pane: the records' own fields (as in the JSON document)",
    )
    snap.add_argument(
        "--mask-pii",
        action="store_true",
        default=argparse.SUPPRESS,  # so `ccmon --mask-pii snapshot` keeps the global flag
        help="mask caller numbers, e-mails and customer names",
    )
    snap.add_argument(
        "--deadline",
        type=_positive_seconds,
        default=50.0,
        metavar="S",
        help="give up on a source after S seconds (default 50)",
    )
    snap.add_argument(
        "--intervals",
        action="store_true",
        help='add today\'s interval rows from the history (json: the "intraday" object, '
        "as `ccmon report --format json` prints it)",
    )
    snap.add_argument(
        "--forecast",
        action="store_true",
        help="with --format json: add each queue's Erlang forecast (inputs and results)",
    )


def _add_watch(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon watch``: one JSON line per change."""
    watch = commands.add_parser("watch", help="print one JSON line per change, for scripts")
    _common(watch)
    _hub_option(watch, VIEW_FROM_HUB)
    watch.add_argument("--format", choices=("jsonl",), default="jsonl")
    watch.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="also write every change to FILE, as `ccmon --record` does",
    )
    watch.add_argument(
        "--duration",
        type=_positive_seconds,
        default=None,
        metavar="S",
        help="stop after S seconds (default: until Ctrl-C)",
    )


def _add_hub(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon hub [status]``: the one poller that publishes to Redis."""
    hub = commands.add_parser(
        "hub", help="poll the sources once for every screen and publish the floor to Redis"
    )
    _common(hub)
    _hub_option(hub, "the Redis to publish to, redis://host:6379/0 or rediss:// (hub.url)")
    hub.add_argument(
        "action",
        nargs="?",
        choices=("status",),
        help="status: the leader, its last publish, viewers, stream length, Redis memory",
    )


def _add_serve(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon serve``: the floor over HTTP for wall TVs, scripts and Prometheus."""
    serve = commands.add_parser(
        "serve",
        help="serve the floor over HTTP: a wallboard page for TVs, JSON, events, /metrics",
    )
    _common(serve)
    _hub_option(serve, VIEW_FROM_HUB)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; any other needs [serve] token)",
    )
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")


def _add_replay(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon replay FILE``: a recording in the live screen."""
    replay = commands.add_parser(
        "replay",
        help="play a recording (--record FILE) back in the live screen: pause, step, seek",
    )
    replay.add_argument("file", type=Path, metavar="FILE", help="a file written by --record")
    replay.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="play X times as fast (default 1; - and + halve and double it while playing)",
    )
    replay.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help="as live")
    replay.add_argument(
        "--mask-pii", action="store_true", default=argparse.SUPPRESS, help="as live"
    )
    replay.add_argument(
        "--wallboard", action="store_true", default=argparse.SUPPRESS, help="as live"
    )


def _add_sim(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon sim``: listed for --help only (see ``run_sim``)."""
    # Its options are parsed by run_sim() only when it runs: importing the simulator (uvicorn,
    # starlette) to build this parser would slow every `ccmon --help`.
    commands.add_parser("sim", help="run the simulated contact center alone (see ccmon sim -h)")


def _add_doctor(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon doctor``: check each configured source once."""
    doctor = commands.add_parser(
        "doctor",
        help="check each configured source once (DNS, TCP/TLS, auth, one request, rate "
        "headers) and say what to fix",
    )
    _common(doctor)
    _hub_option(doctor, "also check the `ccmon hub` at this Redis URL (hub.url)")


def _add_config(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon config path|show|init``."""
    config = commands.add_parser(
        "config", help="where the config is (path), what it says (show), a template (init)"
    )
    _common(config)
    config.add_argument("action", choices=("path", "show", "init"))
    config.add_argument("--force", action="store_true", help="init: replace an existing file")


def _add_report(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon report``: a day's intervals from the history."""
    report = commands.add_parser(
        "report", help="the intervals of a day from the history (one row each, and the total)"
    )
    _common(report)
    report.add_argument(
        "--date", type=_day, metavar="YYYY-MM-DD", help="the local day (default: today)"
    )
    report.add_argument("--queue", metavar="NAME", help="one queue's rows, one per channel")
    report.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table")


def _add_history(commands: argparse._SubParsersAction[_Parser]) -> None:
    """``ccmon history path``."""
    history = commands.add_parser("history", help="where the history is kept (path)")
    _common(history)
    history.add_argument("action", choices=("path",))


def run_sim(argv: Sequence[str]) -> int:
    from ccmon.sim.command import add_sim_arguments, run_sim_command

    parser = _Parser(prog="ccmon sim", description="Run the simulated contact center alone.")
    add_sim_arguments(parser)
    try:
        return run_sim_command(parser.parse_args(argv))
    except KeyboardInterrupt:
        return 0


RUNNERS = {
    "snapshot": ("ccmon.commands.snapshot", "run_snapshot"),
    "doctor": ("ccmon.commands.doctor", "run_doctor"),
    "watch": ("ccmon.commands.watch", "run_watch"),
    "config": ("ccmon.commands.config", "run_config"),
    "hub": ("ccmon.commands.hub", "run_hub"),
    "serve": ("ccmon.commands.serve", "run_serve"),
    "replay": ("ccmon.commands.replay", "run_replay"),
    "once": ("ccmon.commands.snapshot", "run_once"),
    "report": ("ccmon.commands.report", "run_report"),
    "history": ("ccmon.commands.report", "run_history"),
    None: ("ccmon.commands.live", "run_live"),
}
"""Each command's module and function, imported only when that command runs."""


def _runner(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    module, function = RUNNERS["once" if args.command is None and args.once else args.command]
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    from ccmon.errors import ConfigError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sim"]:
        return run_sim(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.record is not None and (args.once or args.command not in (None, "watch")):
        parser.error("--record goes with the live screen or with watch")
    if getattr(args, "seed", None) is not None and not getattr(args, "demo", False):
        parser.error("--seed picks the simulated day of --demo: add --demo")
    from ccmon.runtime import tune_gc

    tune_gc()
    try:
        if args.command != "config":
            from ccmon.logs import setup_logging

            setup_logging(args.log_level, args.log_file)
        return _runner(args)(args)
    except ConfigError as exc:
        print(f"ccmon: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`ccmon watch | head -1`): that is how a pipe ends, not a
        # failure. Point stdout at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
