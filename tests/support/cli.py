"""Results of the real ``ccmon`` command line run in-process (fixture ``ccmon`` in
``tests/cli/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FAST_SOURCES = {
    f"CCMON_{source}_{key}": value
    for source in ("CCAI", "ALO", "EVO")
    for key, value in (("RATE", "50"), ("BURST", "20"))
}
"""The budget is not what these tests are about (against a simulator with rate_limit=False)."""
WARNING = "ccmon: warning: "


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def errors(self) -> str:
        """stderr without warning lines (``FAST_SOURCES`` is above CCAI's documented rate on
        purpose, and ccmon says so on start)."""
        return "".join(
            line for line in self.err.splitlines(keepends=True) if not line.startswith(WARNING)
        )

    @property
    def error_line(self) -> str:
        """The one line an expected failure prints, checked to be exactly one and no traceback."""
        lines = self.errors.splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        assert lines[0].startswith("ccmon"), lines[0]
        return lines[0]


Run = Callable[..., Result]
