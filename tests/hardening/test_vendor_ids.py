"""Ids from vendors reach keys, URLs, tables and the screen: they must be usable or refused.

Found by the hostile-data property tests: ids were the one kind of vendor string that was
never cleaned, so an escape sequence in an id reached the terminal (the board's ID column,
the detail view, ``snapshot --format table``), and an ALO period id with a control
character or ten thousand characters made ``httpx`` refuse to build the actions URL with an
exception that ``ccmon snapshot`` did not expect (a traceback instead of a report).
"""

from __future__ import annotations

import httpx
import pytest

from ccmon.http import ErrorKind, RateLimiter, SourceClient, SourceError
from ccmon.sources.alo.source import AloSource
from ccmon.sources.evo import models as evo
from ccmon.sources.tolerant import ParseTally, parse_records


@pytest.mark.parametrize(
    "bad",
    ["\x1b]52;c;ZWNobyBwd25lZA==\x07", "a\u202eb", "zero\u200bwidth", "two\nlines", "L" * 300, ""],
)
def test_a_record_whose_id_is_unusable_is_skipped_and_counted(bad: str) -> None:
    tally = ParseTally()
    rows = parse_records(evo.Session, [{"id": bad}, {"id": "a8fe56b2"}, {"id": 42}], tally)
    assert [row.id for row in rows] == ["a8fe56b2", "42"]
    assert tally.skipped == 1


def test_ids_may_be_any_printable_text() -> None:
    tally = ParseTally()
    ids = ["66a0f2e4-1", "客服 42", "👩", "x" * 256]
    rows = parse_records(evo.Session, [{"id": i} for i in ids], tally)
    assert [row.id for row in rows] == ids


async def test_a_period_id_is_one_path_segment() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.raw_path.decode())
        if request.url.path.endswith("/periods"):
            period = {"id": "../../admin?x=1#", "startDate": "2024-07-18T00:00:00Z"}
            return httpx.Response(200, json={"periods": [period]})
        return httpx.Response(200, json={"actions": []})

    client = SourceClient(
        "alo",
        "http://alo.example.test/v1",
        limiter=RateLimiter(100, 10),
        transport=httpx.MockTransport(answer),
    )
    async with client:
        await AloSource(client).poll_actions()
    assert asked[-1] == "/v1/periods/..%2F..%2Fadmin%3Fx%3D1%23/actions"


async def test_a_url_httpx_refuses_is_a_source_error_not_a_crash() -> None:
    client = SourceClient(
        "alo",
        "http://alo.example.test/v1",
        limiter=RateLimiter(100, 10),
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=[])),
    )
    async with client:
        with pytest.raises(SourceError) as failure:
            await client.get_json("periods/" + "L" * 70_000 + "/actions")
    assert failure.value.kind is ErrorKind.BAD_RESPONSE
    assert "cannot request" in str(failure.value)
    assert len(str(failure.value)) < 300
