"""Resolve a source's secrets from the settings or a command, never echoing them.

Every secret, whatever its origin (environment, config file, ``token_command``,
``password_command``), is stripped of surrounding whitespace (a copied token often ends in a
line break) and refused, by name and never by value, if a control character is left in it:
httpx would otherwise fail on the header and quote it in its error. Each resolved secret is
registered for :func:`ccmon.http.errors.redact`, the last line of defence in every message.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shlex
import signal
import subprocess
import time
from typing import TYPE_CHECKING

from ccmon.errors import ConfigError
from ccmon.http.errors import register_secret

if TYPE_CHECKING:
    from pydantic import SecretStr

TOKEN_COMMAND_TIMEOUT_S = 15.0
"""How long a ``token_command`` or ``password_command`` may take to print its first line."""
EXIT_GRACE_S = 2.0
"""After the first line, how long the command may take to exit before it is ended: long
enough for its exit status to tell a failure, short enough not to hold up the start."""
_MAX_LINE = 64 * 1024


def defect(value: str) -> str | None:
    """What in ``value`` (already stripped) HTTP cannot carry, in words, or None."""
    if "\r" in value or "\n" in value:
        return "a line break"
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in value):
        return "a control character"
    return None


def secret_problem(value: str, what: str = "token") -> str | None:
    """Why ``value`` (already stripped) cannot be sent, or None: it never names the value."""
    found = defect(value)
    return None if found is None else f"the {what} contains {found}; copy it again without it"


def tidy_secret(value: str, what: str = "token") -> str:
    """``value`` without surrounding whitespace; ``ValueError`` if it still holds a control
    character (the message never shows the value)."""
    value = value.strip()
    problem = secret_problem(value, what)
    if problem is not None:
        raise ValueError(problem)
    return value


def resolve_secret(
    section: str, field: str, value: SecretStr | None, command: str | None
) -> str | None:
    """``<section>.<field>``, else the first line ``<section>.<field>_command`` prints."""
    if value is not None and value.get_secret_value():
        secret = value.get_secret_value()  # stripped and checked by the settings' validators
    elif command:
        setting = f"{section}.{field}_command"
        secret = _from_command(setting, command, field)
        found = defect(secret)
        if found is not None:
            raise ConfigError(
                f"{setting} printed a {field} that contains {found}; "
                "run it by hand to see what it prints"
            )
    else:
        return None
    register_secret(secret)
    return secret


def _from_command(setting: str, command: str, what: str) -> str:
    try:
        process = subprocess.Popen(  # noqa: S603 - the user's own configured command
            shlex.split(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, ended as a whole below
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{setting} could not run ({type(exc).__name__}); check the command in your config"
        ) from None
    try:
        line = _first_line(process, time.monotonic() + TOKEN_COMMAND_TIMEOUT_S)
        if line is None:
            raise ConfigError(
                f"{setting} did not finish within {TOKEN_COMMAND_TIMEOUT_S:g} s and printed "
                "nothing; run it by hand to see why (does it wait for a passphrase?)"
            )
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(EXIT_GRACE_S)
        if process.returncode not in (None, 0):
            raise ConfigError(
                f"{setting} exited with status {process.returncode}; run it by hand to see why"
            )
    finally:
        _end_group(process)
    secret = line.decode("utf-8", "replace").strip()
    if not secret:
        raise ConfigError(f"{setting} printed nothing; it must print the {what}")
    return secret


def _first_line(process: subprocess.Popen[bytes], deadline: float) -> bytes | None:
    """What the command prints up to its first newline, as soon as it is there.

    Also ends at end of output, or once the command itself has exited with nothing more to
    read (a background child of it may hold the pipe open for a long time). None: nothing
    arrived before ``deadline``."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in data and len(data) < _MAX_LINE:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return data or None
            if selector.select(min(remaining, 0.1)):
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                data += chunk
            elif process.poll() is not None:
                break
    return data.split(b"\n", 1)[0]


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the command and everything it started (``sleep 30 &`` included)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(EXIT_GRACE_S)
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
