"""Resolve a source's token from the setting or its ``token_command``, never echoing it."""

from __future__ import annotations

import shlex
import subprocess

from ccmon.config.settings import SourceSettings
from ccmon.errors import ConfigError

TOKEN_COMMAND_TIMEOUT_S = 15.0


def resolve_token(section: str, settings: SourceSettings) -> str | None:
    if settings.token is not None and settings.token.get_secret_value():
        return settings.token.get_secret_value()
    if not settings.token_command:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - the user's own configured command
            shlex.split(settings.token_command),
            capture_output=True,
            text=True,
            timeout=TOKEN_COMMAND_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"{section}.token_command did not finish within {TOKEN_COMMAND_TIMEOUT_S:g} s; "
            "run it by hand to see why (does it wait for a passphrase?)"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{section}.token_command could not run ({type(exc).__name__}); "
            "check the command in your config"
        ) from None
    if result.returncode != 0:
        raise ConfigError(
            f"{section}.token_command exited with status {result.returncode}; "
            "run it by hand to see why"
        )
    token = result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""
    if not token:
        raise ConfigError(f"{section}.token_command printed nothing; it must print the token")
    return token
