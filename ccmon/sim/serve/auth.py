"""Credential checks: CCAI's HTTP Basic (subdomain:token), ALO's and Evo's bearer tokens."""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.datastructures import Headers

from ccmon.sim.config import BearerAuth


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def basic_ok(headers: Headers, username: str, password: str) -> bool:
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, colon, secret = decoded.partition(":")
    return bool(colon) and _same(user, username) & _same(secret, password)


def bearer_ok(headers: Headers, auth: BearerAuth, token: str) -> bool:
    value = headers.get(auth.header, "")
    if auth.scheme:
        scheme, _, value = value.partition(" ")
        if scheme.lower() != auth.scheme.lower():
            return False
    return _same(value.strip(), token)
