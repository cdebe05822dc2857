"""``snapshot --format csv --pane``, ``--mask-pii`` and ``ccmon --once`` against a simulator
whose clock stands still, so that every run reads the same floor."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from ccmon.domain import Agent, AgentState, Collection, Interaction, Phase, Record
from ccmon.privacy import mask
from ccmon.sim.runner import SimServer
from ccmon.snapshot.collect import Snapshot
from ccmon.snapshot.csv import render_csv
from ccmon.ui.export import snapshot_csv
from ccmon.ui.options import UiOptions
from ccmon.ui.panes import actions
from ccmon.ui.panes import queues as queue_pane
from tests.support.cli import Run

PANES = [c.value for c in Collection]


def document(ccmon: Run, *flags: str) -> dict[str, Any]:
    result = ccmon("snapshot", "--format", "json", *flags)
    assert result.code == 0, result.err
    parsed: dict[str, Any] = json.loads(result.out)
    return parsed


def as_cell(value: Any) -> str:
    """What a JSON value looks like in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def test_raw_csv_of_every_pane_is_the_json_collection(ccmon: Run, floor: SimServer) -> None:
    doc = document(ccmon)
    for pane in PANES:
        result = ccmon("snapshot", "--format", "csv", "--pane", pane, "--raw")
        assert result.code == 0
        assert result.errors == ""
        reader = csv.DictReader(io.StringIO(result.out))
        rows = list(reader)
        if doc[pane]:
            assert reader.fieldnames == list(doc[pane][0])
        expected = [{k: as_cell(v) for k, v in record.items()} for record in doc[pane]]
        if pane == "interactions":  # a contact may cross the window's edge between two runs
            ids = {r["id"] for r in rows} & {r["id"] for r in expected}
            assert len(ids) >= len(expected) - 1
            rows = [r for r in rows if r["id"] in ids]
            expected = [r for r in expected if r["id"] in ids]
            for row in rows + expected:  # still counting up: each run's own generated_at
                if row["phase"] in ("waiting", "active"):
                    del row["wait_s"], row["duration_s"]
        assert rows == expected, pane
    assert doc["agents"]
    assert doc["interactions"]


def test_csv_header_even_without_records(ccmon: Run, floor: SimServer) -> None:
    result = ccmon("snapshot", "--format", "csv", "--pane", "actions", "--mask-pii", "--raw")
    header = result.out.splitlines()[0]
    assert header == (
        "source,period_id,id,status,classification,sub_classification,assignees,created_at,"
        "status_since,created_by,channel"
    )
    shown = ccmon("snapshot", "--format", "csv", "--pane", "actions").out.splitlines()[0]
    assert shown == ",".join(column.title for column in actions.table_columns())


def test_csv_prints_the_pane_as_the_screen_shows_it(ccmon: Run, floor: SimServer) -> None:
    doc = document(ccmon)
    queues = list(
        csv.DictReader(io.StringIO(ccmon("snapshot", "--format", "csv", "--pane", "queues").out))
    )
    titles = [column.title for column in queue_pane.columns(lambda: None, UiOptions())]
    assert list(queues[0]) == titles
    assert {"Waiting", "Longest", "Avail", "Staffed", "SL"} <= set(titles)
    waiting = {(q["name"], q["channel"]): q["in_queue"] for q in doc["queues"]}
    assert {(q["Queue"], q["Ch"]): int(q["Waiting"]) for q in queues} == waiting
    ccai = [q for q in queues if q["Src"] == "ccai"]
    assert all(q["Staffed"].isdigit() for q in ccai)  # figures the JSON does not have
    assert all(q["Longest"] == "" for q in queues if q["Waiting"] == "0")
    agents = list(
        csv.DictReader(io.StringIO(ccmon("snapshot", "--format", "csv", "--pane", "agents").out))
    )
    assert "In state" in agents[0]
    assert len(agents) == len(doc["agents"])


def test_raw_goes_with_csv(ccmon: Run, floor: SimServer) -> None:
    result = ccmon("snapshot", "--format", "json", "--raw")
    assert result.code == 1
    assert "--raw goes with --format csv" in result.error_line


def test_csv_names_a_failing_source_on_stderr(
    ccmon: Run, floor: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_EVO_TOKEN", "wrong-token-never-shown")
    result = ccmon("snapshot", "--format", "csv", "--pane", "agents")
    assert result.code == 2
    assert len(list(csv.DictReader(io.StringIO(result.out)))) > 0  # the others still print
    assert result.error_line.startswith("ccmon: evo: credentials rejected")
    assert "wrong-token-never-shown" not in result.out + result.err


@pytest.mark.parametrize(
    "argv",
    [["snapshot", "--format", "json"], ["snapshot", "--format", "table"], ["--once"]],
    ids=" ".join,
)
def test_every_format_names_a_failing_source_on_stderr(
    ccmon: Run, floor: SimServer, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setenv("CCMON_EVO_TOKEN", "wrong-token-never-shown")
    monkeypatch.setenv("CCMON_ALO_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    result = ccmon(*argv)
    assert result.code == 2
    assert "ccai" in result.out  # the others still print
    lines = result.errors.splitlines()
    assert "Traceback" not in result.err
    assert len(lines) == 2, result.err
    assert lines[0].startswith("ccmon: alo: cannot reach 127.0.0.1 (connection refused)")
    assert lines[1].startswith("ccmon: evo: credentials rejected")
    assert "wrong-token-never-shown" not in result.out + result.err


def test_formula_cells_get_an_apostrophe() -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    agents: list[Record] = [
        Agent(
            "ccai", "1", '=HYPERLINK("http://x")', AgentState.AVAILABLE, "@SUM(A1)", when, "-2+3"
        ),
        Agent("ccai", "2", "Ann Lee", AgentState.AWAY, "+Meal", None, "\tTab"),
    ]
    contact = Interaction(
        "evo", "call", "c1", "queued", Phase.WAITING, "Sales", None, when, customer="+1 555 0100"
    )
    collections: dict[Collection, list[Record]] = {c: [] for c in Collection}
    collections |= {Collection.AGENTS: agents, Collection.INTERACTIONS: [contact]}
    snapshot = Snapshot(when, {}, collections)
    [first, second] = csv.DictReader(io.StringIO(render_csv(snapshot, Collection.AGENTS)))
    assert first["name"] == '\'=HYPERLINK("http://x")'
    assert first["status"] == "'@SUM(A1)"
    assert first["team"] == "'-2+3"
    assert second["name"] == "Ann Lee"
    assert second["status"] == "'+Meal"
    assert second["team"] == "'\tTab"
    assert second["state_since"] == ""
    [row] = csv.DictReader(io.StringIO(render_csv(snapshot, Collection.INTERACTIONS)))
    assert row["customer"] == "'+1 555 0100"
    assert row["wait_s"] == ""
    # The as-shown CSV goes through the same guard.
    shown = csv.DictReader(io.StringIO(snapshot_csv(snapshot, Collection.AGENTS, UiOptions())))
    assert [r["Agent"] for r in shown] == ['\'=HYPERLINK("http://x")', "Ann Lee"]
    [row] = csv.DictReader(
        io.StringIO(snapshot_csv(snapshot, Collection.INTERACTIONS, UiOptions()))
    )
    assert row["Customer"] == "'+1 555 0100"


def test_mask_pii_in_json_table_and_csv(ccmon: Run, floor: SimServer) -> None:
    raw = {r["id"]: r["customer"] for r in document(ccmon)["interactions"] if r["customer"]}
    assert len(raw) >= 3

    masked = document(ccmon, "--mask-pii")
    shown = {r["id"]: r["customer"] for r in masked["interactions"] if r["customer"]}
    for contact_id in raw.keys() & shown.keys():
        assert shown[contact_id] == mask(raw[contact_id])
        assert "•••" in shown[contact_id]

    table = ccmon("snapshot", "--format", "table", "--mask-pii").out
    before_the_command = ccmon("--mask-pii", "snapshot", "--format", "json").out
    exported = ccmon("snapshot", "--format", "csv", "--pane", "interactions", "--mask-pii").out
    fields = ccmon(
        "snapshot", "--format", "csv", "--pane", "interactions", "--mask-pii", "--raw"
    ).out
    for customer in raw.values():
        assert customer not in json.dumps(masked, ensure_ascii=False)
        assert customer not in table
        assert customer not in before_the_command
        assert customer not in exported
        assert customer not in fields
    customers = {row["Customer"] for row in csv.DictReader(io.StringIO(exported))}
    assert customers - {""} <= {f"'{c}" if c[0] in "+-=@" else c for c in shown.values()}


def test_once_prints_the_snapshot_table(ccmon: Run, floor: SimServer) -> None:
    once = ccmon("--once")
    table = ccmon("snapshot", "--format", "table")
    assert once.code == table.code == 0

    def sections(out: str) -> dict[str, str]:
        return {part.split(" (")[0]: part for part in out.split("\n\n")[1:]}

    shown, printed = sections(once.out), sections(table.out)
    assert list(shown) == [
        "Floor",  # what the KPI strip shows, first
        "Sources",
        "Agents",
        "Queues",
        "Sla",
        "Interactions",
        "Periods",
        "Actions",
    ]
    for name in ("Sources", "Agents", "Queues", "Sla", "Periods"):
        assert shown[name] == printed[name]


def test_once_exits_like_snapshot_when_a_source_fails(
    ccmon: Run, floor: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_ALO_TOKEN", "wrong")
    result = ccmon("--once", "--mask-pii")
    assert result.code == 2
    assert "! alo: credentials rejected" in result.out


def test_help_documents_refresh_and_once(ccmon: Run) -> None:
    result = ccmon("--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "--refresh S redraw the screen every S seconds (default 1; ui.refresh_s)" in text
    assert "--once read every source once, print what the screen would show" in text
