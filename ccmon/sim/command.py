"""``ccmon sim``: run the simulator in the foreground and say how to point ccmon at it."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import time
from datetime import UTC, datetime
from types import FrameType

from ccmon.sim.config import SimConfig
from ccmon.sim.faults import Fault, parse_faults
from ccmon.sim.runner import SimServer
from ccmon.sim.vendors import Vendor


def _faults(text: str) -> list[tuple[Vendor, Fault]]:
    try:
        return parse_faults(text)
    except ValueError as bad:
        raise argparse.ArgumentTypeError(str(bad)) from None


def _start(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def add_sim_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = SimConfig()
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="CCAI's port; ALO, Evo and the admin API take the next three (default: free ports)",
    )
    parser.add_argument("--host", default=defaults.host, help="address to listen on (%(default)s)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="world seed (%(default)s)")
    parser.add_argument(
        "--speed",
        type=float,
        default=defaults.speed,
        help="simulated seconds per real second; 0 freezes the clock (%(default)s)",
    )
    parser.add_argument(
        "--start", type=_start, default=None, help="sim time to start at, ISO 8601 (default: now)"
    )
    parser.add_argument("--agents", type=int, default=defaults.agents, help="(%(default)s)")
    parser.add_argument("--queues", type=int, default=defaults.queues, help="(%(default)s)")
    parser.add_argument(
        "--interactions-per-day",
        type=int,
        default=defaults.interactions_per_day,
        help="CCAI calls and chats per simulated day (%(default)s)",
    )
    parser.add_argument(
        "--faults",
        type=_faults,
        action="extend",
        default=[],
        metavar="VENDOR:KIND[=VALUE],...",
        help="faults from the start, e.g. ccai:html,evo:slow=12,alo:down; vendor: ccai, alo, "
        "evo or all; kind: slow, error5xx, html, badjson, wrongtype, auth, ratelimit, down, "
        "hostile",
    )
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="answer every request (benchmarks)"
    )


def _config(args: argparse.Namespace) -> SimConfig:
    return SimConfig(
        seed=args.seed,
        speed=args.speed,
        start=args.start,
        agents=args.agents,
        queues=args.queues,
        interactions_per_day=args.interactions_per_day,
        host=args.host,
        port=args.port,
        rate_limit=not args.no_rate_limit,
        faults=tuple(args.faults),
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_sim_command(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (or SIGTERM); 1 if the simulator cannot start."""
    try:
        server = SimServer(_config(args)).start()
    except (ValueError, OSError, RuntimeError) as failure:
        cause = failure.__cause__ or failure
        print(f"ccmon sim: {cause}", file=sys.stderr)
        return 1
    # SIGINT too: a shell starts background jobs with SIGINT ignored, and Python then
    # installs no Ctrl-C handler of its own (`ccmon sim &` ... `kill -INT` would do nothing).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        print("# ccmon simulator running. Point ccmon at it with:")
        for name, value in server.env.items():
            print(f"export {name}={shlex.quote(value)}")
        creds = server.credentials
        print(
            f"# or, for Evo, a user's name and password instead of the API key:\n"
            f"#   export CCMON_EVO_USERNAME={shlex.quote(creds.evo_username)} "
            f"CCMON_EVO_PASSWORD={shlex.quote(creds.evo_password)}"
        )
        print(f"# admin API: {server.admin_url} (Bearer {creds.admin_token})")
        print("# Press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()


def main() -> int:
    """``python -m ccmon.sim``: the same command without ccmon's CLI around it."""
    parser = argparse.ArgumentParser(prog="ccmon sim", description=__doc__)
    add_sim_arguments(parser)
    return run_sim_command(parser.parse_args())
