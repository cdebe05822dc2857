"""Connecting to the hub's Redis: one client with bounded waits, and errors in one line.

The URL is ``redis://[user[:password]@]host[:port][/db]`` or ``rediss://`` for TLS. A
password never appears in a message: :func:`shown_url` is what ccmon prints.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis import exceptions as rex

from ccmon.errors import ConfigError

CONNECT_TIMEOUT_S = 3.0
COMMAND_TIMEOUT_S = 5.0
"""Every Redis wait is bounded; a blocking XREAD asks for less than this."""
SCHEMES = ("redis", "rediss", "unix")


def check_url(url: str) -> str:
    """``url`` if it is a Redis URL; a :class:`ConfigError` naming what is wrong if not."""
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES:
        raise ConfigError(
            f"hub url {shown_url(url)!r} is not a Redis URL: use redis://host:6379/0 "
            "(or rediss:// for TLS)"
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"hub url {shown_url(url)!r} names no host: use redis://host:6379/0")
    return url.strip()


def url_password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def shown_url(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return "<unparsable url>"
    if "@" in netloc:
        creds, _, host = netloc.rpartition("@")
        user = creds.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in creds else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def client(url: str, *, password: str | None = None) -> aioredis.Redis:
    """A client for ``url`` whose every wait is bounded. ``password`` (from
    ``password_command`` or ``CCMON_HUB_PASSWORD``) wins over one in the URL."""
    redis: aioredis.Redis = aioredis.Redis.from_url(
        check_url(url),
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        socket_timeout=COMMAND_TIMEOUT_S,
        health_check_interval=15,
        decode_responses=False,
    )
    if password:
        redis.connection_pool.connection_kwargs["password"] = password
    return redis


def text(value: bytes | str) -> str:
    """A Redis reply as text (replies are bytes: ``decode_responses`` is off)."""
    return value.decode() if isinstance(value, bytes) else value


def explain(exc: BaseException, url: str) -> str:
    """One line saying what went wrong with the hub at ``url`` and what to do."""
    where = shown_url(url)
    if isinstance(exc, rex.AuthenticationError | rex.AuthorizationError):
        return f"hub {where}: Redis refused the credentials - check the user and password"
    if isinstance(exc, rex.ResponseError) and "NOAUTH" in str(exc):
        return f"hub {where}: Redis wants a password - put it in the URL or password_command"
    if isinstance(exc, rex.ResponseError) and "NOPERM" in str(exc):
        return f"hub {where}: the Redis user may not do this - see the README's hub ACL"
    if isinstance(exc, rex.TimeoutError | TimeoutError):
        return f"hub {where}: Redis did not answer in time - check the host and port"
    text = str(exc).lower()
    if "certificate verify failed" in text:
        return (
            f"hub {where}: TLS: Redis's certificate is not trusted ({_reason(text)}) - give its "
            "CA with ?ssl_ca_certs=/path/ca.pem in the URL (or SSL_CERT_FILE)"
        )
    if "ssl" in text or "tls" in text or "wrong version number" in text:
        return f"hub {where}: TLS failed - is the server plain redis:// rather than rediss://?"
    if isinstance(exc, rex.ConnectionError | OSError):
        if "connection reset" in text or "closed by server" in text:
            return (
                f"hub {where}: Redis closed the connection - is it restarting, "
                "or does it want TLS (rediss://)?"
            )
        return f"hub {where}: cannot reach Redis ({_short(exc)}) - is redis-server running there?"
    return f"hub {where}: {type(exc).__name__}: {_short(exc)}"


def _reason(text: str) -> str:
    """OpenSSL's why, from "... certificate verify failed: <why> (_ssl.c:992)"."""
    why = text.partition("certificate verify failed")[2].lstrip(": ")
    return why.split(" (_ssl")[0].strip() or "verify failed"


def _short(exc: BaseException) -> str:
    line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return line[:160]
