"""Files ccmon creates that may hold tokens or customer data: readable by the user alone."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path


def open_private(path: os.PathLike[str] | str, *, replace: bool = False) -> int:
    """Create ``path`` with mode 0600 and return its descriptor, open for writing.

    Without ``replace`` an existing file is never touched (``FileExistsError``); with it,
    an existing file is truncated (its mode stays what it was)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    return os.open(path, flags, 0o600)


def open_private_append(path: os.PathLike[str] | str) -> int:
    """Open ``path`` for appending, creating it with mode 0600; an existing file is made 0600
    too (a log written by an older ccmon was 0644)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    except OSError:
        pass  # not ours to change (a shared file someone chose): write to it as it is
    return fd


def open_private_unique(path: Path) -> tuple[Path, int]:
    """:func:`open_private` at ``path``, or at ``<stem>-2<suffix>``, ``-3`` … if it is taken."""
    candidate = path
    for n in itertools.count(2):
        try:
            return candidate, open_private(candidate)
        except FileExistsError:
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    raise AssertionError("unreachable")
