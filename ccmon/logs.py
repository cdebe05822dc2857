"""Logging to a rotating file, never to the screen.

ccmon's own loggers and httpx's log at ``--log-level`` (warning by default); everything else
that logs (libraries, ``warnings``) reaches the same file from WARNING up. The handler sits on
the root logger, so Python's last-resort handler, which writes to stderr and would scribble
over the TUI, never runs. httpx logs request lines with their URLs, and ccmon's URLs never
carry credentials (they travel in headers, see ``ccmon/http/auth.py``). Every line is
passed through :func:`ccmon.http.errors.redact` all the same, tracebacks included, and the
files are created 0600: they name hosts, queues and agents.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
from pathlib import Path

from ccmon.config import locations
from ccmon.errors import ConfigError
from ccmon.files import open_private_append
from ccmon.http.errors import redact

LOG_FILE_NAME = "ccmon.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
"""At most (1 + BACKUPS) x MAX_BYTES on disk."""
DEFAULT_LEVEL = "warning"
OUR_LOGGERS = ("ccmon", "httpx")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_installed: logging.Handler | None = None
_levels: dict[str, int] = {}
"""Logger levels before :func:`setup_logging`, restored by :func:`remove_logging`."""


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files only their owner can read."""

    def _open(self) -> io.TextIOWrapper:
        return open(
            open_private_append(self.baseFilename),
            "a",  # what a rotating handler always uses
            encoding=self.encoding,
            errors=self.errors,
        )


class _RedactingFormatter(logging.Formatter):
    """Every line, traceback included, without a known secret in it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def default_log_file() -> Path:
    return locations.log_dir() / LOG_FILE_NAME


def setup_logging(level: str | None = None, path: Path | None = None) -> Path | None:
    """Send logs to ``path`` (default: the platform's log dir); return the file, if any.

    An explicit ``path`` that cannot be written is a configuration error. The default one is
    best effort: a read-only home must not stop the monitor, so it then logs nowhere.
    """
    global _installed
    remove_logging()
    target = path or default_log_file()
    handler: logging.Handler
    written: Path | None = target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = _PrivateRotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        if path is not None:
            raise ConfigError(f"cannot write the log file {path}: {exc.strerror}") from None
        handler, written = logging.NullHandler(), None
    handler.setFormatter(_RedactingFormatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    for name in ("", *OUR_LOGGERS):
        _levels[name] = logging.getLogger(name).level
    root.setLevel(logging.WARNING)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel((level or DEFAULT_LEVEL).upper())
    logging.captureWarnings(True)
    _installed = handler
    return written


def remove_logging() -> None:
    """Undo :func:`setup_logging` (for tests that run several commands in one process)."""
    global _installed
    if _installed is not None:
        logging.getLogger().removeHandler(_installed)
        _installed.close()
        _installed = None
    for name, level in _levels.items():
        logging.getLogger(name).setLevel(level)
    _levels.clear()
    logging.captureWarnings(False)
