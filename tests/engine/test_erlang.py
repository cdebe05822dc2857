"""Erlang B, C and A against published values and the properties any queue must have."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccmon.engine.erlang import Forecast, agents_needed, erlang_a, erlang_b, erlang_c

# 100 calls per 30 minutes at 180 s AHT: A = 10 Erlangs; t = 20 s.
TEN = {"rate": 100 / 1800, "aht": 180.0, "threshold": 20.0}


@pytest.mark.parametrize(
    ("agents", "p_wait", "sl", "asa", "occupancy"),
    [
        (11, 0.6821, 0.3896, 122.8, 0.909),
        (13, 0.2853, 0.7956, 17.1, 0.769),
        (14, 0.1741, 0.8884, 7.84, 0.714),
    ],
)
def test_erlang_c_gives_the_published_figures_for_ten_erlangs(
    agents: int, p_wait: float, sl: float, asa: float, occupancy: float
) -> None:
    result = erlang_c(agents, **TEN)
    assert result.stable
    assert result.load == pytest.approx(10.0)
    assert result.p_wait == pytest.approx(p_wait, abs=5e-5)
    assert result.sl == pytest.approx(sl, abs=5e-5)
    assert result.asa_s == pytest.approx(asa, rel=5e-3)
    assert result.occupancy == pytest.approx(occupancy, abs=5e-4)


def test_erlang_c_gives_the_published_figures_for_48_erlangs() -> None:
    result = erlang_c(55, rate=360 / 1800, aht=240.0, threshold=20.0)
    assert result.load == pytest.approx(48.0)
    assert result.p_wait == pytest.approx(0.2387, abs=5e-5)
    assert result.asa_s == pytest.approx(8.18, abs=5e-3)
    assert result.sl == pytest.approx(0.8668, abs=5e-5)


def test_erlang_b_by_the_recursion_matches_the_closed_form() -> None:
    load, agents = 7.5, 9
    terms = [load**n / math.factorial(n) for n in range(agents + 1)]
    assert erlang_b(agents, load) == pytest.approx(terms[-1] / sum(terms), rel=1e-12)
    assert erlang_b(0, load) == 1.0


@pytest.mark.parametrize("agents", [5, 9, 10])
def test_no_more_agents_than_the_load_is_an_unstable_queue_without_figures(agents: int) -> None:
    result = erlang_c(agents, **TEN)
    assert not result.stable
    assert (result.p_wait, result.sl, result.asa_s, result.occupancy) == (None,) * 4


def _known(value: float | None) -> float:
    assert value is not None
    return value


loads = st.floats(min_value=0.2, max_value=60.0)
ahts = st.floats(min_value=20.0, max_value=900.0)
thresholds = st.floats(min_value=0.0, max_value=120.0)


@settings(max_examples=60, deadline=None)
@given(load=loads, aht=ahts, threshold=thresholds)
def test_more_agents_never_lower_sl_nor_raise_asa(
    load: float, aht: float, threshold: float
) -> None:
    first = math.floor(load) + 1
    results = [erlang_c(n, load / aht, aht, threshold) for n in range(first, first + 12)]
    sl = [_known(r.sl) for r in results]
    asa = [_known(r.asa_s) for r in results]
    assert all(0.0 <= value <= 1.0 for value in sl)
    assert all(more >= fewer - 1e-12 for fewer, more in itertools.pairwise(sl))
    assert all(more <= fewer + 1e-9 for fewer, more in itertools.pairwise(asa))


@settings(max_examples=30, deadline=None)
@given(load=st.floats(min_value=0.5, max_value=30.0), aht=ahts, patience=st.floats(30, 600))
def test_erlang_a_more_agents_fewer_abandons_and_higher_sl(
    load: float, aht: float, patience: float
) -> None:
    first = max(1, math.floor(load) - 3)
    results = [erlang_a(n, load / aht, aht, 20.0, patience) for n in range(first, first + 8)]
    abandon = [_known(r.p_abandon) for r in results]
    sl = [_known(r.sl) for r in results]
    assert all(more <= fewer + 1e-9 for fewer, more in itertools.pairwise(abandon))
    assert all(more >= fewer - 1e-9 for fewer, more in itertools.pairwise(sl))


@pytest.mark.parametrize("agents", [11, 13, 14])
def test_erlang_a_with_endless_patience_is_erlang_c(agents: int) -> None:
    c = erlang_c(agents, **TEN)
    a = erlang_a(agents, **TEN, patience=1e9)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-6)
    assert a.sl == pytest.approx(c.sl, abs=1e-5)
    assert a.asa_s == pytest.approx(c.asa_s, rel=1e-4)
    assert a.p_abandon == pytest.approx(0.0, abs=1e-5)


def test_erlang_a_with_patience_equal_to_handle_time_counts_like_infinite_servers() -> None:
    """θ = μ: every contact leaves at rate μ, waiting or served, so the number in the system
    is Poisson(A) (M/M/∞), and a contact waits when it finds N or more there."""
    load, agents = 10.0, 10
    a = erlang_a(agents, **TEN, patience=TEN["aht"])
    poisson_at_least_n = 1.0 - sum(
        math.exp(-load) * load**n / math.factorial(n) for n in range(agents)
    )
    assert a.p_wait == pytest.approx(poisson_at_least_n, abs=1e-9)
    assert a.occupancy == pytest.approx(
        sum(min(n, agents) * math.exp(-load) * load**n / math.factorial(n) for n in range(120))
        / agents,
        abs=1e-9,
    )


def test_erlang_a_stays_stable_when_the_load_exceeds_the_agents() -> None:
    a = erlang_a(8, **TEN, patience=60.0)
    assert a.stable
    assert a.p_abandon is not None
    assert 0.1 < a.p_abandon < 0.5
    assert a.sl is not None
    assert 0.0 < a.sl < 1.0


def test_agents_needed_is_the_fewest_that_reach_the_target() -> None:
    def forecast(n: int) -> Forecast:
        return erlang_c(n, **TEN)

    def reaches(r: Forecast) -> bool:
        return r.sl is not None and r.sl >= 0.80

    assert agents_needed(forecast, start=1, good=reaches) == 14  # 13 gives 0.7956
    assert (
        agents_needed(forecast, start=1, good=lambda r: r.asa_s is not None and r.asa_s <= 20) == 13
    )
    assert agents_needed(forecast, start=1, good=lambda r: r.sl == 1.0 and False) is None


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(min_value=0.2, max_value=80.0),
    target=st.floats(min_value=0.1, max_value=0.99),
    patience=st.one_of(st.none(), st.floats(30, 600)),
)
def test_the_search_for_agents_needed_finds_the_first_that_reaches_the_target(
    load: float, target: float, patience: float | None
) -> None:
    def forecast(n: int) -> Forecast:
        if patience is None:
            return erlang_c(n, load / 180, 180.0, 20.0)
        return erlang_a(n, load / 180, 180.0, 20.0, patience)

    def reaches(r: Forecast) -> bool:
        return r.stable and (r.sl or 0.0) >= target

    first = next(n for n in range(1, 2000) if reaches(forecast(n)))
    assert agents_needed(forecast, start=1, good=reaches) == first
