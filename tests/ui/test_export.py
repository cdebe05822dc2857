"""`e` writes the current pane, as shown, to a CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from tests.support.waiting import wait_for


async def test_export_the_filtered_pane(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.pane("agents").table.live_count == 25)
        await pilot.press("slash", *"billing", "enter", "e")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-agents-*.csv"))))
        table = app.pane("agents").table
        shown = {
            table.cell_text(agent.key, "name"): table.cell_text(agent.key, "since")
            for agent in table.ordered_records()
        }
    [path] = tmp_path.glob("ccmon-agents-*.csv")
    reader = csv.DictReader(path.open(encoding="utf-8"))
    rows = list(reader)
    assert rows
    # The pane's own columns, each cell as the screen shows it.
    assert reader.fieldnames == [column.title for column in table.columns]
    assert {"Agent", "Team", "State", "In state"} <= set(reader.fieldnames)
    assert all(row["Team"] == "Billing" for row in rows)
    assert {row["Agent"]: row["In state"] for row in rows} == shown


async def test_export_has_the_columns_on_screen_not_the_record_fields(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: app.metrics is not None and table.live_count > 0)
        await pilot.press("2", "e")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-queues-*.csv"))))
        expected = [
            [table.cell_text(queue.key, column.key) for column in table.columns]
            for queue in table.ordered_records()
        ]
    [path] = tmp_path.glob("ccmon-queues-*.csv")
    reader = csv.reader(path.open(encoding="utf-8"))
    header = next(reader)
    assert {"Queue", "Waiting", "Longest", "Avail", "Staffed", "SL"} <= set(header)
    rows = list(reader)
    assert rows == [["" if cell == fmt.DASH else cell for cell in row] for row in expected]
    assert any(row[header.index("SL")] for row in rows)  # figures, not only names


async def test_export_goes_to_the_configured_directory(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exports = tmp_path / "exports"
    app = CcmonApp(floor.engine(), floor.options(export_dir=exports))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.pane("agents").table.live_count == 25)
        await pilot.press("e")  # the directory does not exist yet: said, nothing written
        await wait_for(pilot, lambda: any("export_dir" in n.message for n in app._notifications))
        exports.mkdir()
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(list(exports.glob("ccmon-agents-*.csv"))))
    assert not list(tmp_path.glob("*.csv"))


async def test_export_masks_customers_when_asked(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options(mask_pii=True))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.pane("interactions").table.live_count > 0)
        await pilot.press("4", "e")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-interactions-*.csv"))))
    [path] = tmp_path.glob("ccmon-interactions-*.csv")
    customers = [row["Customer"] for row in csv.DictReader(path.open(encoding="utf-8"))]
    assert customers
    assert all("•••" in c for c in customers if c)


async def test_exports_are_private_and_never_replace_each_other(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options())  # the clock is stopped: the same second
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.pane("agents").table.live_count == 25)
        await pilot.press("e")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("ccmon-agents-*.csv"))) == 1)
        await pilot.press("slash", *"billing", "enter", "e")
        await wait_for(pilot, lambda: len(list(tmp_path.glob("ccmon-agents-*.csv"))) == 2)
    first, second = sorted(tmp_path.glob("ccmon-agents-*.csv"), key=lambda p: len(p.name))
    assert second.name == first.name.removesuffix(".csv") + "-2.csv"
    assert len(list(csv.DictReader(first.open(encoding="utf-8")))) == 25
    assert len(list(csv.DictReader(second.open(encoding="utf-8")))) < 25
    assert {path.stat().st_mode & 0o777 for path in (first, second)} == {0o600}


async def test_the_palette_exports_the_records_fields_too(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = CcmonApp(floor.engine(), floor.options(mask_pii=True))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.pane("interactions").table.live_count > 0)
        await pilot.press("4", "ctrl+p", *"pane's records", "enter")
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("ccmon-interactions-raw-*.csv"))))
    [path] = tmp_path.glob("ccmon-interactions-raw-*.csv")
    reader = csv.DictReader(path.open(encoding="utf-8"))
    rows = list(reader)
    assert reader.fieldnames is not None
    assert reader.fieldnames[:4] == ["source", "kind", "id", "status"]
    assert rows
    assert all("•••" in row["customer"] for row in rows if row["customer"])
