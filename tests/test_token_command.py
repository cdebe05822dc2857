"""``token_command``: the first line it prints is the token, whatever the command leaves behind."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from ccmon.config import secrets
from ccmon.config.settings import AloSettings
from tests.support.waiting import eventually


def _ended(pid: int) -> bool:
    """True once ``pid`` is gone (or a zombie nobody has reaped yet: it runs no more)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def test_a_background_child_neither_delays_the_token_nor_outlives_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sh -c "sleep 30 & echo tok"`` printed its token at once, but its child held the pipe
    open, so ccmon waited for the timeout, failed, and left the child running."""
    monkeypatch.setattr(secrets, "TOKEN_COMMAND_TIMEOUT_S", 5.0)  # before the fix: 5 s, fail
    pid_file = tmp_path / "child.pid"
    command = f"sh -c 'sleep 30 & echo $! > {pid_file}; echo alo-token-from-a-command'"
    token = AloSettings(token_command=command).resolve_token("alo")
    assert token == "alo-token-from-a-command"
    child = int(pid_file.read_text())
    asyncio.run(eventually(lambda: _ended(child), "the background child ended"))


def test_the_rest_of_the_output_is_not_waited_for(tmp_path: Path) -> None:
    """A command that prints the token and then keeps running (and printing) is ended."""
    pid_file = tmp_path / "command.pid"
    command = f"sh -c 'echo $$ > {pid_file}; echo first-line; exec sleep 30'"
    assert AloSettings(token_command=command).resolve_token("alo") == "first-line"
    asyncio.run(eventually(lambda: _ended(int(pid_file.read_text())), "the command ended"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(" tok-with-spaces \t", "tok-with-spaces"), ("tok-crlf\r\n", "tok-crlf"), ("\n", None)],
)
def test_a_token_is_stripped_of_surrounding_whitespace(value: str, expected: str | None) -> None:
    settings = AloSettings(token=SecretStr(value))
    assert settings.resolve_token("alo") == expected


def test_a_token_command_printing_crlf(tmp_path: Path) -> None:
    script = tmp_path / "token.sh"
    script.write_text("#!/bin/sh\nprintf '  tok-from-windows\\r\\nsecond line\\r\\n'\n")
    script.chmod(0o700)
    assert AloSettings(token_command=str(script)).resolve_token("alo") == ("tok-from-windows")
