"""Credentials as httpx auth objects, so they live in one place and never in a URL or repr."""

from __future__ import annotations

from collections.abc import Generator

import httpx


class TokenAuth(httpx.Auth):
    """``<header>: <scheme> <token>`` on every request (``Authorization: Bearer …`` by default).

    An empty ``scheme`` sends the bare token, for APIs that want ``X-Api-Key: <token>``.
    """

    def __init__(self, token: str, header: str = "Authorization", scheme: str = "Bearer") -> None:
        self._header = header
        self._value = f"{scheme} {token}" if scheme else token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"TokenAuth(header={self._header!r}, token='***')"


class BasicAuth(httpx.BasicAuth):
    """httpx's basic auth with a repr that does not show the encoded password."""

    def __repr__(self) -> str:
        return "BasicAuth(***)"
