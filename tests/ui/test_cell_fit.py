"""How a cell shortens text that does not fit: a queue path keeps its last part."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from ccmon.ui.widgets.record_table import RecordTable


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        ("Main Line/Technical Support/Internet", 20, "Main Line/…/Internet"),
        ("Main Line/Technical Support/Internet", 12, "Ma…/Internet"),
        ("Main Line/Billing", 12, "Mai…/Billing"),
        ("Mobile App/Account Help", 10, "Account H…"),  # the last part alone is too long
        ("Support Queue", 10, "Support Q…"),  # not a path: the end goes
        ("Web Chat/Orders", 15, "Web Chat/Orders"),
        ("東京/コールセンター", 12, "コールセン …"),  # a wide character is never cut in half
    ],
)
def test_a_path_is_shortened_before_its_last_part(text: str, width: int, shown: str) -> None:
    result = RecordTable._fit(text, width, "left", True)
    assert result.rstrip() == shown
    assert cell_len(result) == width
