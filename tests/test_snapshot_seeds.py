"""`ccmon snapshot` against a loopback server that serves the vendor docs' own examples:
every agent, queue, SLA row, call, chat, action and Evo session they contain, with their
values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.seed_server import TOKEN, SeedServer, serve_seeds

FAST = {"CCMON_CCAI_RATE": "50", "CCMON_ALO_RATE": "50", "CCMON_EVO_RATE": "50"}


@pytest.fixture(scope="module")
def seeds() -> Iterator[SeedServer]:
    with serve_seeds() as server:
        yield server


def run_snapshot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    return subprocess.run(
        [sys.executable, "-m", "ccmon", "snapshot", *args],
        env={**clean_env, "CCMON_CONFIG": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def document(seeds: SeedServer) -> dict[str, Any]:
    result = run_snapshot({**seeds.env(), **FAST}, "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_id(rows: list[dict[str, Any]], **match: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows if all(r[k] == v for k, v in match.items())}


def test_every_source_is_ok(document: dict[str, Any]) -> None:
    for name in ("ccai", "alo", "evo"):
        assert document["sources"][name]["status"] == "ok"
        assert document["sources"][name]["error"] is None
    assert document["sources"]["ccai"]["requests"] >= 11


def test_agents_join_roster_and_current_status(document: dict[str, Any]) -> None:
    agents = by_id(document["agents"])
    assert set(agents) == {"45", "60", "81", "1"}
    assert agents["45"]["name"] == "Craig T Nelson"
    assert agents["45"]["status"] == "Wrap-up"
    assert agents["45"]["state"] == "wrap_up"
    assert agents["45"]["team"] == "team CTN"
    assert agents["60"]["state"] == "in_call"
    assert agents["60"]["state_since"] == "2017-02-04T12:36:11Z"
    assert agents["81"]["state"] == "offline"
    assert agents["1"]["status"] == "Available"  # only in current_status
    assert agents["1"]["state_since"] == "2021-05-10T17:45:01Z"


def test_queues_show_menus_and_waiting_counts(document: dict[str, Any]) -> None:
    queues = document["queues"]
    waiting = [q for q in queues if q["in_queue"] > 0]
    assert waiting == [
        {
            "source": "ccai",
            "id": "10",
            "name": "zdco IVR Support/1 Day Shipping",
            "channel": "call",
            "in_queue": 2,
            "longest_wait_s": 300,
            "oldest_since": "2021-05-10T22:17:21Z",
            "agent_ids": [],
        }
    ]
    death_star = [q for q in queues if q["id"] == "1693"]
    assert death_star[0]["name"] == "Death Star"
    assert death_star[0]["in_queue"] == 0
    assert death_star[0]["agent_ids"] == ["1", "1407", "2", "3", "60", "97"]


def test_sla_rows_per_path_and_group_and_channel(document: dict[str, Any]) -> None:
    sla = document["sla"]
    paths = {(r["id"], r["lang"], r["channel"]): r["sla_pct"] for r in sla if r["scope"] == "queue"}
    assert paths[("100", "en", "call")] == 96.5
    assert paths[("100", "es", "chat")] == 99.0
    assert paths[("101", "en", "call")] == 0.0
    groups = {(r["name"], r["channel"]): r["sla_pct"] for r in sla if r["scope"] == "queue_group"}
    assert groups[("Shipping", "call")] is None
    assert groups[("Customer Support", "chat")] == 99.2
    assert len(sla) == 2 * (3 + 3)


def test_calls_chats_and_evo_sessions(document: dict[str, Any]) -> None:
    calls = by_id(document["interactions"], source="ccai", kind="call")
    chats = by_id(document["interactions"], source="ccai", kind="chat")
    sessions = by_id(document["interactions"], source="evo")
    assert calls["1"]["status"] == "finished"
    assert calls["1"]["queue"] == "Death Star/Carpentry"
    assert calls["1"]["wait_s"] == 22
    assert calls["1"]["created_at"] == "2016-02-19T18:53:56Z"
    assert set(chats) == {"1", "2"}
    assert chats["1"]["agent"] == "Storm Trooper 1"
    assert chats["2"]["agent"] is None
    assert sessions["String"]["kind"] == "call"
    assert sessions["String"]["created_at"] is None  # "String" is not a date


def test_alo_actions_of_the_current_period(document: dict[str, Any]) -> None:
    [period] = document["periods"]
    assert period["name"] == "Example Period"
    [action] = document["actions"]
    assert action["id"] == "91011"
    assert action["period_id"] == "1234"
    assert action["status"] == "canceled"
    assert action["classification"] == "Example Classification"
    assert action["assignees"] == ["Example User 1", "Example User 2"]
    assert action["created_at"] == "2024-08-02T12:23:05Z"


def test_table_format_lists_the_same(seeds: SeedServer) -> None:
    result = run_snapshot({**seeds.env(), **FAST}, "--format", "table")
    assert result.returncode == 0, result.stderr
    for text in (
        "Craig T Nelson",
        "zdco IVR Support/1 Day Shipping",
        "Customer Support",
        "Example Classification",
        "Death Star/Carpentry",
    ):
        assert text in result.stdout


def test_wrong_token_fails_that_source_only_and_never_prints_it(seeds: SeedServer) -> None:
    env = {**seeds.env(), **FAST, "CCMON_ALO_TOKEN": "wrong-secret-value"}
    result = run_snapshot(env, "--format", "json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["sources"]["alo"]["status"] == "error"
    assert "credentials rejected" in data["sources"]["alo"]["error"]
    assert data["sources"]["alo"]["error_kind"] == "auth failed"
    assert data["sources"]["alo"]["responses"]["4xx"] >= 1
    assert data["sources"]["ccai"]["status"] == "ok"
    assert data["sources"]["ccai"]["error_kind"] is None
    ccai = data["sources"]["ccai"]
    assert ccai["responses"] == {"2xx": ccai["requests"], "4xx": 0, "5xx": 0}
    assert len(data["agents"]) == 4
    for secret in ("wrong-secret-value", TOKEN):
        assert secret not in result.stdout
        assert secret not in result.stderr


def test_no_source_configured_is_a_usage_error() -> None:
    result = run_snapshot({})
    assert result.returncode == 1
    assert "no source is configured" in result.stderr
    assert "Traceback" not in result.stderr


def test_watch_prints_one_json_line_per_diff(seeds: SeedServer) -> None:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    result = subprocess.run(
        [sys.executable, "-m", "ccmon", "watch", "--duration", "4"],
        env={**clean_env, "CCMON_CONFIG": os.devnull, **seeds.env(), **FAST},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    slots = {(e["collection"], e["source"]) for e in events}
    agents = [e for e in events if (e["collection"], e["source"]) == ("agents", "ccai")]
    added = {a["id"] for e in agents for a in e["added"]}
    assert added == {"45", "60", "81", "1"}  # roster first, then the logged-in agent
    assert all(e["removed"] == [] for e in agents)
    assert {("actions", "alo"), ("interactions", "evo"), ("queues", "ccai")} <= slots
    assert all(e["at"].endswith("Z") for e in events)
