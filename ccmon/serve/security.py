"""Read-only, token-checked, with headers that keep the page to its own origin.

Pure ASGI (no buffering), so server-sent event streams pass through untouched.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a TV's URL holds the token
    (b"x-frame-options", b"DENY"),
]
PUBLIC_PREFIXES = ("/static/", "/favicon.ico")
"""The page's own code and style (shipped in the package, no floor data in them), and the
icon a browser asks for by itself (without the token of the page's URL)."""
READ_METHODS = frozenset({"GET", "HEAD"})


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time: how much of a guess is right does not show in the answer's timing."""
    if given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def given_token(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return credentials.strip()
    query: bytes = scope.get("query_string", b"")
    tokens = parse_qs(query.decode("latin-1")).get("token")
    return tokens[-1] if tokens else None


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = (text + "\n").encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Only GET/HEAD; the token when one is set; the security headers on every answer."""

    def __init__(self, app: ASGIApp, token: str | None, count: Callable[[str, int], None]) -> None:
        self.app = app
        self.token = token
        self.count = count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if scope["method"] not in READ_METHODS:
            self.count(path, 405)
            await _plain(send, 405, "read-only: GET only", [(b"allow", b"GET, HEAD")])
            return
        public = path.startswith(PUBLIC_PREFIXES)
        if (
            self.token is not None
            and not public
            and not token_matches(self.token, given_token(scope))
        ):
            self.count(path, 401)
            await _plain(
                send,
                401,
                "a token is needed: Authorization: Bearer <token>, or ?token=<token>",
                [(b"www-authenticate", b'Bearer realm="ccmon"')],
            )
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.count(path, int(message["status"]))
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
