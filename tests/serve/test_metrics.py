"""``/metrics`` parsed with prometheus-client's own parser, against what the floor holds."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from ccmon.domain import Agent, Collection, Queue
from tests.support.serving import Serving
from tests.support.waiting import wait_until


def _samples(served: Serving) -> dict[str, list[Sample]]:
    answer = httpx.get(f"{served.url}/metrics", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    by_name: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            by_name.setdefault(sample.name, []).append(sample)
    return by_name


def _families(served: Serving) -> dict[str, str]:
    text = httpx.get(f"{served.url}/metrics", timeout=10).text
    return {f.name: f.type for f in text_string_to_metric_families(text)}


def test_metrics_name_the_floor(served: Serving) -> None:
    engine = served.engine
    wait_until(
        lambda: (
            all(h.health.value == "ok" for h in engine.health())
            and engine.store.count(Collection.AGENTS) > 0
            and engine.store.count(Collection.QUEUES) > 0
        ),
        "every source ok with agents and queues",
    )
    samples = _samples(served)
    families = _families(served)
    assert families["ccmon_source_requests"] == "counter"
    assert families["ccmon_source_rate_limited"] == "counter"
    assert families["ccmon_queue_longest_wait_seconds"] == "gauge"
    for name in (
        "ccmon_queue_waiting_contacts",
        "ccmon_queue_longest_wait_seconds",
        "ccmon_queue_vendor_service_level_ratio",
        "ccmon_waiting_contacts",
        "ccmon_longest_wait_seconds",
        "ccmon_agents",
        "ccmon_source_up",
        "ccmon_source_health",
        "ccmon_source_data_age_seconds",
        "ccmon_source_requests_total",
        "ccmon_source_rate_limited_total",
    ):
        assert name in samples, name

    agents = {s.labels["state"]: s.value for s in samples["ccmon_agents"]}
    on_floor = list(engine.records(Collection.AGENTS, Agent))
    assert sum(agents.values()) == len(on_floor)  # every agent in exactly one state

    queues = {q.key: q for q in engine.records(Collection.QUEUES, Queue)}
    waiting = samples["ccmon_queue_waiting_contacts"]
    assert {(s.labels["source"], s.labels["queue"], s.labels["channel"]) for s in waiting} == {
        (q.source, q.name, q.channel) for q in queues.values()
    }
    for ratio in samples["ccmon_queue_vendor_service_level_ratio"]:
        assert 0.0 <= ratio.value <= 1.0

    up = {s.labels["source"]: s.value for s in samples["ccmon_source_up"]}
    assert up == dict.fromkeys(engine.source_names, 1.0)
    health = [s for s in samples["ccmon_source_health"] if s.value == 1.0]
    assert sorted((s.labels["source"], s.labels["health"]) for s in health) == sorted(
        (name, "ok") for name in engine.source_names
    )
    requests = {s.labels["source"]: s.value for s in samples["ccmon_source_requests_total"]}
    assert all(requests[name] > 0 for name in engine.source_names)
    ages = samples["ccmon_source_data_age_seconds"]
    assert all(0 <= s.value < 60 for s in ages)

    again = _samples(served)["ccmon_serve_http_requests_total"]
    scrapes = {(s.labels["path"], s.labels["code"]): s.value for s in again}
    assert scrapes[("/metrics", "200")] >= 2


def test_stream_clients_are_counted_while_connected(served: Serving) -> None:
    def clients() -> float:
        [sample] = _samples(served)["ccmon_serve_event_clients"]
        return sample.value

    assert clients() == 0
    with (
        httpx.stream("GET", f"{served.url}/api/board/events", timeout=10) as board,
        httpx.stream("GET", f"{served.url}/api/events", timeout=10) as events,
    ):
        # Kept: an iterator dropped half-way would close its connection.
        board_lines, event_lines = board.iter_lines(), events.iter_lines()
        assert next(board_lines) == next(event_lines) == "retry: 2000"
        wait_until(lambda: clients() == 2, "two clients counted")
    wait_until(lambda: clients() == 0, "none once they are gone")


def test_every_metric_follows_the_conventions_and_is_in_the_readme(served: Serving) -> None:
    wait_until(lambda: served.engine.store.count(Collection.QUEUES) > 0, "queues")
    text = httpx.get(f"{served.url}/metrics", timeout=10).text
    exposed: set[str] = set()
    for family in text_string_to_metric_families(text):
        assert re.fullmatch(r"ccmon_[a-z]+(_[a-z]+)*", family.name), family.name
        assert family.documentation, family.name
        assert family.type in {"gauge", "counter"}, family.name
        name = family.name + ("_total" if family.type == "counter" else "")
        for sample in family.samples:
            assert sample.name == name  # counters end in _total, nothing else does
        assert name.endswith("_total") == (family.type == "counter")
        if re.search(r"_(wait|age)(_|$)", name):
            assert name.endswith("_seconds"), name  # the unit in the name, base units
        if "service_level" in name:
            assert name.endswith("_ratio"), name  # 0-1, not percent
        exposed.add(name)
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.partition("**Metrics.**")[2].partition("Scraping it:")[0]
    documented = set(re.findall(r"`(ccmon_[a-z_]+)`", section))
    assert documented == exposed
