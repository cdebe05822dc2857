"""`e` writes the current pane, as shown, to a CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.ui.helpers import wait_for


async def test_export_the_filtered_pane(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.panes[0].table.live_count == 25)
        await pilot.press("slash", *"billing", "enter", "e")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-agents-*.csv"))))
    [path] = tmp_path.glob("ccmon-agents-*.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows
    assert all(row["team"] == "Billing" for row in rows)
    assert list(rows[0]) == ["source", "id", "name", "state", "status", "state_since", "team"]


async def test_export_masks_customers_when_asked(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options(mask_pii=True))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.panes[3].table.live_count > 0)
        await pilot.press("4", "e")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-interactions-*.csv"))))
    [path] = tmp_path.glob("ccmon-interactions-*.csv")
    customers = [row["customer"] for row in csv.DictReader(path.open(encoding="utf-8"))]
    assert customers
    assert all("•••" in c for c in customers if c)


async def test_exports_are_private_and_never_replace_each_other(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options())  # the clock is stopped: the same second
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.panes[0].table.live_count == 25)
        await pilot.press("e")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("ccmon-agents-*.csv"))) == 1)
        await pilot.press("slash", *"billing", "enter", "e")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("ccmon-agents-*.csv"))) == 2)
    first, second = sorted(tmp_path.glob("ccmon-agents-*.csv"), key=lambda p: len(p.name))
    assert second.name == first.name.removesuffix(".csv") + "-2.csv"
    assert len(list(csv.DictReader(first.open(encoding="utf-8")))) == 25
    assert len(list(csv.DictReader(second.open(encoding="utf-8")))) < 25
    assert {path.stat().st_mode & 0o777 for path in (first, second)} == {0o600}
