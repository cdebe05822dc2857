"""Leaving when the terminal goes away (an SSH drop) instead of spinning on a dead tty.

A hang-up normally arrives as SIGHUP; when something ignores it (nohup, some tmux and mosh
set-ups) the tty just starts failing, which :meth:`TerminalWatch.gone` notices on the app's
tick. SIGTERM (``kill``, systemd, ``tmux kill-session``) leaves as ``q`` does, so the terminal
is restored and a ``--record`` file is closed complete, not cut off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import termios
from collections.abc import Callable

log = logging.getLogger(__name__)


class TerminalWatch:
    """``leave`` is how the app quits (its ``exit``)."""

    def __init__(self, leave: Callable[[], None]) -> None:
        self._leave = leave
        self._tty: int | None = None

    def start(self, *, headless: bool) -> None:
        """Watch the terminal on stdin, if there is one (not in tests, not when piped)."""
        if headless or sys.__stdin__ is None or not sys.__stdin__.isatty():
            return
        self._tty = sys.__stdin__.fileno()
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._terminal_gone)
            loop.add_signal_handler(signal.SIGTERM, self._leave)

    def gone(self) -> bool:
        """True, and the app told to leave, once the terminal fails (call it on every tick)."""
        if self._tty is None:
            return False
        try:
            termios.tcgetattr(self._tty)
        except (termios.error, OSError):
            self._terminal_gone()
            return True
        return False

    def _terminal_gone(self) -> None:
        log.info("the terminal went away; exiting")
        self._tty = None
        self._leave()
