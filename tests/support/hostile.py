"""Hostile vendor data for property tests, and the whole read pipeline to push it through.

:data:`hostile_text` draws strings made to hurt a terminal or a table: Rich markup, ANSI CSI
and OSC sequences (OSC 52 clipboard writes, window titles, both 7-bit and 8-bit forms), bidi
overrides, zero-width characters, emoji and CJK (two cells wide), 10,000-character strings,
embedded newlines, NUL, and plain text from hypothesis around them.

:func:`hostile_payloads` takes the vendor docs' own examples (the seed fixtures) and puts
such strings in every text field and every id, so each record still has the shape a vendor
sends. :func:`read_everything` serves them through ``httpx.MockTransport`` to ccmon's real
sources (client, tolerant parsing, mapping) the way ``ccmon snapshot`` reads, and returns
the snapshot and what was logged on the way.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from hypothesis import strategies as st

from ccmon.commands.registry import SOURCE_NAMES, build_sources
from ccmon.config.load import load_settings
from ccmon.snapshot.collect import Snapshot, collect
from tests.support.seed_server import CCAI, fixture

ATOMS = (
    "[bold red]alert[/]",
    "[link=https://evil.example]click[/link]",
    "[/]",
    "[",
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[H",
    "\x1b[?1049l",
    "\x9b31m",  # 8-bit CSI
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\",
    "\x9d52;c;ZWNobyBwd25lZA==\x9c",  # the same in 8-bit C1
    "\x1b]0;pwned title\x07",
    "\x1b]2;pwned title\x1b\\",
    "\x1bP+q544e\x1b\\",  # DCS
    "\x07",
    "\u202eexe.txt\u202c",
    "\u2066\u2067\u2068\u2069\u200e\u200f",
    "zero\u200bwidth\u200c\u200d\u2060\ufeff",
    "👩🏽‍💻📞🔥",
    "❤️ 👍🏿 ☎️ 1️⃣",  # widths terminals disagree on (variation selectors, skin tones)
    "客服中心 東京",
    "مركز الاتصال",
    "e\u0301\u0301\u0301",  # combining marks
    "line one\nline two\r\nthree\tfour\x0b\x0c",
    "\u2028\u2029",
    "nul\x00byte",
    "\ud800",  # a lone surrogate, as json.loads makes of "\ud800"
    "\U000e0041",  # a tag character
    '=HYPERLINK("https://evil.example","x")',  # spreadsheet formulas, for CSV
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
)

atoms = st.sampled_from(ATOMS)
huge = st.sampled_from("L客👩\x1b").map(lambda char: char * 10_000)
hostile_text = st.one_of(
    atoms,
    huge,
    st.lists(st.one_of(atoms, st.text(max_size=12)), min_size=1, max_size=6).map("".join),
)
"""One hostile string."""

_DATE = re.compile(r"^\d{4}-\d\d-\d\d")
_ID_KEYS = frozenset({"id", "menu_id", "menu_path_id", "queue_group_id", "actionId", "periodId"})


def _rewrite(node: Any, draw: Any) -> Any:
    """Every string that is not a date, and every id, replaced by a hostile string."""
    if isinstance(node, dict):
        return {
            key: (
                draw(hostile_text)
                if key in _ID_KEYS and node[key] is not None
                else _rewrite(node[key], draw)
            )
            for key in node
        }
    if isinstance(node, list):
        return [_rewrite(item, draw) for item in node]
    if isinstance(node, str) and not _DATE.match(node):
        return draw(hostile_text)
    return node


CCAI_EXTRA = {"menus/sla": "ccai_menus_sla.json"}
ALO = {"periods": "alo_periods.json", "actions": "alo_actions.json"}
EVO = {"activity": "evo_activity.json"}


@st.composite
def hostile_payloads(draw: Any) -> dict[str, Any]:
    """Every endpoint's seed example, its text and ids made hostile; also an error answer
    whose vendor message is hostile (it ends up in the status bar and the log)."""
    payloads: dict[str, Any] = {}
    for path, name in {**CCAI, **CCAI_EXTRA}.items():
        payloads[f"ccai/{path}"] = _rewrite(copy.deepcopy(fixture(name)), draw)
    for path, name in {**ALO, **EVO}.items():
        payloads[path] = _rewrite(copy.deepcopy(fixture(name)), draw)
    payloads["error"] = {"message": draw(hostile_text)}
    return payloads


BASES = {
    "ccai": "http://ccai.hostile.test/manager/api/v1",
    "alo": "http://alo.hostile.test",
    "evo": "http://evo.hostile.test",
}
FAILING = "ccai/teams"
"""An endpoint that answers 422 with the hostile vendor message."""


def transport(payloads: dict[str, Any]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        params = request.url.params
        if host.startswith("ccai."):
            endpoint = "ccai/" + path.removeprefix("/manager/api/v1/")
            if endpoint == FAILING:
                return _json(422, payloads["error"])
            if params.get("page", "1") != "1":
                return _json(200, [])
            return _json(200, payloads.get(endpoint, []))
        if host.startswith("alo."):
            if path.endswith("/actions"):
                return _json(200, payloads["actions"])
            return _json(200, payloads["periods"])
        data = payloads["activity"]
        if params.get("Page", "0") != "0" and isinstance(data, dict):
            data = {**data, "items": [], "hasMorePages": False}
        return _json(200, data)

    return httpx.MockTransport(answer)


def _json(status: int, data: Any) -> httpx.Response:
    # \u escapes carry every control character (and a lone surrogate) as valid JSON.
    body = json.dumps(data).encode("ascii")
    return httpx.Response(status, content=body, headers={"content-type": "application/json"})


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def captured_log() -> Iterator[list[str]]:
    """Every line ccmon and httpx log meanwhile, at debug level, as the log file has them."""
    handler = _Lines()
    loggers = [logging.getLogger(name) for name in ("ccmon", "httpx")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


async def read_everything(payloads: dict[str, Any]) -> Snapshot:
    """The payloads through ccmon's sources, as ``ccmon snapshot`` reads them."""
    env = {"CCMON_CONFIG": "/dev/null"}
    for vendor, base in BASES.items():
        env[f"CCMON_{vendor.upper()}_BASE_URL"] = base
        env[f"CCMON_{vendor.upper()}_TOKEN"] = "hostile-test-token"
        env[f"CCMON_{vendor.upper()}_RATE"] = "100"
        env[f"CCMON_{vendor.upper()}_BURST"] = "100"
    sources = build_sources(load_settings(env=env), transport=transport(payloads))
    try:
        return await collect(sources, SOURCE_NAMES, deadline_s=20)
    finally:
        for source in sources:
            await source.aclose()
