"""``ccmon serve``: the floor over HTTP for wall TVs, scripts and Prometheus; one floor
(local polling or a hub viewer) whatever the number of clients."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys

from ccmon.commands.hub import live_floor
from ccmon.commands.live import ui_options
from ccmon.commands.registry import SOURCE_NAMES
from ccmon.config.secrets import resolve_secret
from ccmon.errors import ConfigError
from ccmon.http.errors import register_secret

GRACE_S = 2
"""Open event streams are cut after this long when serve stops."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts (a port in use: one line)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise ConfigError(
            f"serve cannot listen on {host}:{port}: {exc.strerror or exc}; "
            "pick another --port or --host"
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _say(line: str) -> None:
    print(f"ccmon serve: {line}", file=sys.stderr, flush=True)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ccmon.serve.app import Server, create_app

    with live_floor(args, say=_say) as (settings, floor):
        serve = settings.serve
        token = resolve_secret("serve", "token", serve.token, serve.token_command)
        if token is None and not is_loopback(args.host):
            raise ConfigError(
                f"serve on {args.host} (not loopback) needs a token: set [serve] token or "
                "CCMON_SERVE_TOKEN, or keep the default --host 127.0.0.1"
            )
        register_secret(token)
        options = ui_options(settings)
        sock = listen(args.host, args.port)
        app = create_app(
            floor, options, sources=SOURCE_NAMES, token=token, mask_pii=settings.ui.mask_pii
        )
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,  # a URL may hold ?token=
            lifespan="on",
            timeout_graceful_shutdown=GRACE_S,
        )
        shown = f"[{args.host}]" if ":" in args.host else args.host
        print(
            f"ccmon serve: http://{shown}:{sock.getsockname()[1]}/ (wallboard), "
            "/api/snapshot, /api/events, /metrics, /healthz"
            + ("; token required" if token else ""),
            file=sys.stderr,
            flush=True,
        )
        Server(config, app).run(sockets=[sock])
    return 0
