"""The word the status bar shows for a source follows what its feeds saw *recently*.

A source's reference feeds (roster, menus, statuses) poll every 10 to 60 minutes. When the
vendor goes away, only the feeds that ran since can know; the source must read
"unreachable" as soon as every feed that tried failed to connect, not an hour later when the
last reference feed finally had its turn.
"""

from __future__ import annotations

from ccmon.engine.health import Health, source_health
from ccmon.engine.scheduler import FeedState
from ccmon.http import ErrorKind, RateLimiter, SourceClient, SourceError
from ccmon.http.pagination import PagePacer
from ccmon.sources.base import Feed, Source, Tier
from ccmon.ui.widgets.status_bar import data_age


class _Quiet(Source):
    name = "ccai"

    def feeds(self) -> list[Feed]:
        return []

    def records(self, collection: object) -> list[object]:  # type: ignore[override]
        return []


async def _nothing(priority: float, pacer: PagePacer | None = None) -> None:
    return None


def _state(name: str, tier: Tier, *, ok: float | None, attempt: float | None) -> FeedState:
    feed = Feed("ccai", name, tier, 1.0, (), _nothing)
    return FeedState(feed, last_ok=ok, last_attempt=attempt, runs=1 if ok is not None else 0)


def _fail(state: FeedState, kind: ErrorKind, *, seen: float | None = None) -> FeedState:
    """The feed's poll failed; ``seen``: when that was first noticed (default: its attempt)."""
    state.error = SourceError(kind, f"ccai: {kind.value}")
    state.failures = 1
    state.failing_since = seen if seen is not None else state.last_attempt
    return state


def _source() -> Source:
    client = SourceClient("ccai", "http://ccai.example.invalid", limiter=RateLimiter(1.0))
    return _Quiet(client)


def test_an_outage_reads_unreachable_before_the_reference_feeds_notice() -> None:
    # agent_status answered 4 s ago (not late yet) and was refused on its last try.
    live = _fail(_state("agent_status", Tier.LIVE, ok=107.0, attempt=110.0), ErrorKind.UNREACHABLE)
    queue = _fail(_state("queue_status", Tier.LIVE, ok=100.0, attempt=111.0), ErrorKind.TIMEOUT)
    roster = _state("agents", Tier.REFERENCE, ok=50.0, attempt=49.0)  # next run: in 10 min
    health = source_health(_source(), [live, queue, roster], now=112.0)
    assert health.health is Health.UNREACHABLE


def test_a_feed_that_answered_after_the_failures_began_means_degraded() -> None:
    live = _fail(_state("agent_status", Tier.LIVE, ok=100.0, attempt=110.0), ErrorKind.TIMEOUT)
    queue = _state("queue_status", Tier.LIVE, ok=110.5, attempt=110.4)
    health = source_health(_source(), [live, queue], now=112.0)
    assert health.health is Health.DEGRADED  # one endpoint may well be slow on its own
    assert health.last_error == "ccai: timed out"


def test_an_answer_after_a_connection_failure_clears_its_words() -> None:
    # The vendor is back: queue_status got an answer after agent_status was refused. Until
    # agent_status's own next try the words must not say the host cannot be reached.
    # agent_status answered 4 s ago (not late yet) and was refused on its last try.
    live = _fail(_state("agent_status", Tier.LIVE, ok=107.0, attempt=110.0), ErrorKind.UNREACHABLE)
    roster = _fail(_state("agents", Tier.REFERENCE, ok=50.0, attempt=105.0), ErrorKind.UNREACHABLE)
    queue = _state("queue_status", Tier.LIVE, ok=110.5, attempt=110.4)
    health = source_health(_source(), [live, roster, queue], now=111.0)
    assert health.health is Health.OK
    assert health.last_error is None
    assert health.failing_feeds == ()
    live.last_attempt = 111.0  # refused again after that answer: the latest evidence
    health = source_health(_source(), [live, roster, queue], now=112.0)
    assert health.health is Health.DEGRADED
    assert health.last_error == "ccai: unreachable"
    assert health.failing_feeds == ("agent_status",)


def test_the_first_refusal_being_retried_says_unreachable_not_starting() -> None:
    source = _source()
    starting = _state("agent_status", Tier.LIVE, ok=None, attempt=100.0)
    counters = source.client.counters  # as the client sets them before its first retry
    counters.retrying = "ccai: cannot reach HOST (connection refused)"
    counters.retrying_kind = ErrorKind.UNREACHABLE.value
    health = source_health(source, [starting], now=100.5)
    assert health.health is Health.UNREACHABLE
    assert health.last_error == "ccai: cannot reach HOST (connection refused) (retrying)"


def test_a_success_from_before_the_failure_was_seen_does_not_mean_degraded() -> None:
    # agent_status started at 110 and gave up, after its retries, at 114; queue_status got
    # its answer at 112, just before the host went away.
    live = _state("agent_status", Tier.LIVE, ok=100.0, attempt=110.0)
    live = _fail(live, ErrorKind.UNREACHABLE, seen=114.0)
    queue = _state("queue_status", Tier.LIVE, ok=112.0, attempt=111.9)
    assert source_health(_source(), [live, queue], now=115.0).health is Health.UNREACHABLE


def test_an_endpoint_failing_for_an_hour_does_not_hide_a_later_outage() -> None:
    slow = _fail(_state("calls", Tier.HISTORY, ok=None, attempt=3590.0), ErrorKind.TIMEOUT)
    slow.failing_since = 100.0  # timing out since the start
    live = _fail(
        _state("agent_status", Tier.LIVE, ok=3600.0, attempt=3601.0), ErrorKind.UNREACHABLE
    )
    sla = _state("sla_call", Tier.NEAR, ok=3000.0, attempt=2999.0)  # answered before it went
    health = source_health(_source(), [slow, live, sla], now=3606.0)
    assert health.health is Health.UNREACHABLE


def test_other_errors_are_not_called_unreachable() -> None:
    live = _fail(_state("agent_status", Tier.LIVE, ok=100.0, attempt=110.0), ErrorKind.SERVER)
    roster = _state("agents", Tier.REFERENCE, ok=50.0, attempt=49.0)
    assert source_health(_source(), [live, roster], now=112.0).health is Health.DEGRADED


def test_data_age_reads_filling_until_every_live_feed_answered() -> None:
    roster = _state("agents", Tier.REFERENCE, ok=100.0, attempt=99.0)
    agents = _state("agent_status", Tier.LIVE, ok=101.0, attempt=100.5)
    queues = _state("queue_status", Tier.LIVE, ok=None, attempt=None)
    filling = source_health(_source(), [roster, agents, queues], now=102.0)
    assert (filling.health, data_age(filling)) == (Health.OK, "filling")

    queues.last_ok, queues.runs = 101.5, 1
    assert data_age(source_health(_source(), [roster, agents, queues], now=104.0)) == "3s"

    down = _fail(_state("agent_status", Tier.LIVE, ok=None, attempt=100.0), ErrorKind.UNREACHABLE)
    assert data_age(source_health(_source(), [down], now=102.0)) == "no data"


def test_a_request_being_retried_is_said_before_its_attempts_run_out() -> None:
    source = _source()
    starting = _state("agent_status", Tier.LIVE, ok=None, attempt=100.0)
    source.client.counters.retrying = "ccai: cannot reach HOST (connection refused)"
    health = source_health(source, [starting], now=101.0)
    assert health.health is Health.STARTING
    assert health.last_error == "ccai: cannot reach HOST (connection refused) (retrying)"
