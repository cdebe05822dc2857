"""Credentials as httpx auth objects, so they live in one place and never in a URL or repr."""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx

from ccmon.http.errors import register_secret


class TokenAuth(httpx.Auth):
    """``<header>: <scheme> <token>`` on every request (``Authorization: Bearer …`` by default).

    An empty ``scheme`` sends the bare token, for APIs that want ``X-Api-Key: <token>``.
    """

    def __init__(self, token: str, header: str = "Authorization", scheme: str = "Bearer") -> None:
        self._header = header
        self._value = f"{scheme} {token}" if scheme else token
        register_secret(token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"TokenAuth(header={self._header!r}, token='***')"


class BasicAuth(httpx.BasicAuth):
    """httpx's basic auth with a repr that does not show the encoded password.

    The encoded ``user:password`` is a secret too: it is registered for redaction."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(username, password)
        register_secret(password)
        register_secret(base64.b64encode(f"{username}:{password}".encode()).decode())

    def __repr__(self) -> str:
        return "BasicAuth(***)"
