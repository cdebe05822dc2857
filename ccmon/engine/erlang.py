"""Queueing formulas for the forecast: Erlang B, Erlang C and Erlang A. Pure functions.

Notation: ``rate`` λ is arrivals per second, ``aht`` the mean handle time in seconds (1/μ),
``agents`` N, and the offered load A = λ·AHT in Erlangs. ``threshold`` t is the service-level
threshold in seconds.

Assumptions of all three: arrivals are Poisson at a constant rate over the horizon, handle
times are exponential, every agent takes every contact of the queue (no multi-skill routing),
and the queue is in steady state. Real floors break each of these a little (arrivals cluster,
handle times have long tails, agents serve several queues), which is why a forecast is shown
as a forecast and never as a measured figure.

* **Erlang B** (blocking, no queue) by the stable recursion
  B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)).
* **Erlang C** (M/M/N, callers wait forever): for N > A the probability of waiting is
  C = N·B / (N − A·(1 − B)); SL(t) = 1 − C·e^(−(N−A)·t/AHT); ASA = C·AHT / (N − A) (the mean
  wait over every contact, those answered at once included); occupancy = A / N. N ≤ A is an
  unstable queue: it grows without bound, and no figure is given.
* **Erlang A** (M/M/N+M, Palm): callers abandon after an exponential patience of mean
  ``patience`` seconds (θ = 1/patience). The number in the system is a birth–death chain with
  birth λ and death μ·min(n, N) + θ·max(n − N, 0), solved numerically (truncated where its
  tail is below 1e-12). A contact arriving to k waiting ahead of it is answered before it gives
  up with probability Π r_j / (r_j + θ) over r_j = N·μ + j·θ, j = 0..k; its wait, given that,
  is a sum of exponentials of rates r_j + θ. SL(t) counts contacts answered within t among all
  arrivals (an abandon is a miss); ASA is the mean wait of the answered. Always stable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

_TAIL = 1e-12
_MAX_QUEUE = 5_000
"""Waiting places the Erlang A chain is truncated at, whatever its tail (a safety bound)."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """Steady-state figures for N agents on one queue. ``stable`` is False when N ≤ A under
    Erlang C: then every other figure is None, never a number."""

    model: str
    agents: int
    load: float
    """A = λ·AHT, Erlangs."""
    stable: bool
    p_wait: float | None
    sl: float | None
    """Share of contacts answered within the threshold, 0..1."""
    asa_s: float | None
    occupancy: float | None
    p_abandon: float | None = None


def load(rate: float, aht: float) -> float:
    """Offered load in Erlangs."""
    return rate * aht


def erlang_b(agents: int, load: float) -> float:
    """Probability that a contact finds every one of ``agents`` busy (no queue)."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(agents: int, rate: float, aht: float, threshold: float) -> Forecast:
    """The M/M/N figures; ``stable`` False (and no figures) when ``agents`` ≤ the load."""
    offered = load(rate, aht)
    if agents <= offered:
        return Forecast("erlang_c", agents, offered, False, None, None, None, None)
    blocking = erlang_b(agents, offered)
    p_wait = agents * blocking / (agents - offered * (1.0 - blocking))
    spare = agents - offered
    sl = 1.0 - p_wait * math.exp(-spare * threshold / aht)
    asa = p_wait * aht / spare
    return Forecast("erlang_c", agents, offered, True, p_wait, sl, asa, offered / agents)


def erlang_a(agents: int, rate: float, aht: float, threshold: float, patience: float) -> Forecast:
    """The M/M/N+M figures with exponential patience of mean ``patience`` seconds."""
    if agents < 1 or rate < 0 or aht <= 0 or patience <= 0:
        raise ValueError("need at least one agent, a positive handle time and patience")
    mu, theta = 1.0 / aht, 1.0 / patience
    weights = _chain(agents, rate, mu, theta)
    total = math.fsum(weights)
    states = [w / total for w in weights]
    queued = states[agents:]
    p_wait = math.fsum(queued)
    answered_at_once = 1.0 - p_wait
    answered = answered_at_once
    wait_answered = 0.0
    within = answered_at_once
    served_within = _served_within(agents, mu, theta, threshold, len(queued))
    keep = 1.0
    mean = 0.0
    for k, share in enumerate(queued):
        r = agents * mu + k * theta
        keep *= r / (r + theta)
        mean += 1.0 / (r + theta)
        answered += share * keep
        wait_answered += share * keep * mean
        within += share * keep * served_within[k]
    busy = math.fsum(min(n, agents) * p for n, p in enumerate(states))
    return Forecast(
        "erlang_a",
        agents,
        load(rate, aht),
        True,
        p_wait,
        within,
        wait_answered / answered if answered > 0 else None,
        busy / agents,
        p_abandon=max(0.0, 1.0 - answered),
    )


def _chain(agents: int, rate: float, mu: float, theta: float) -> list[float]:
    """Unnormalised steady-state weights of 0, 1, … contacts in the system, truncated once the
    queue's weights have fallen below the tail bound relative to their sum."""
    weights = [1.0]
    total = 1.0
    n = 0
    while True:
        n += 1
        death = mu * min(n, agents) + theta * max(n - agents, 0)
        weights.append(weights[-1] * rate / death)
        total += weights[-1]
        if n > agents and (weights[-1] < _TAIL * total or n - agents >= _MAX_QUEUE):
            return weights


def _served_within(agents: int, mu: float, theta: float, t: float, depth: int) -> list[float]:
    """P(T'_k ≤ t) for k = 0..depth−1, where T'_k is a sum of exponentials of rates
    N·μ + (j+1)·θ, j = 0..k (the wait of a contact with k ahead, tilted by its patience).

    By uniformization: the stages form a pure death chain; with Λ at least every rate, the
    chain jumps at Poisson(Λ·t) times and moves down a stage with probability rate/Λ."""
    if depth == 0:
        return []
    rates = [agents * mu + (j + 1) * theta for j in range(depth)]
    big = max(rates)
    mean = big * t
    steps = int(mean + 12.0 * math.sqrt(mean) + 30)
    if mean <= 0:
        return [0.0] * depth
    move = [r / big for r in rates]
    absorbed = [0.0] * depth  # G_k(m): absorbed within m jumps starting at stage k
    result = [0.0] * depth
    for m in range(steps + 1):
        # The Poisson weight in logs: e^(−Λt) alone underflows for long thresholds.
        weight = math.exp(m * math.log(mean) - mean - math.lgamma(m + 1))
        if m > 0:
            previous = absorbed
            absorbed = [
                move[k] * (1.0 if k == 0 else previous[k - 1]) + (1.0 - move[k]) * previous[k]
                for k in range(depth)
            ]
        for k in range(depth):
            result[k] += weight * absorbed[k]
    return [min(1.0, value) for value in result]


def agents_needed(
    forecast: Callable[[int], Forecast], *, start: int, good: Callable[[Forecast], bool]
) -> int | None:
    """The fewest agents from ``start`` up whose forecast is ``good``; None beyond a
    thousand more (a target no staffing reaches, e.g. SL 100 %).

    ``good`` must hold for every N above one where it holds (SL ≥ target, ASA ≤ target: more
    agents never lower SL nor raise ASA, see the tests), so the search doubles its step until
    it finds a good N, then halves back: a few dozen forecasts, not one per agent."""
    low = max(1, start)
    limit = low + 1000

    def ok(agents: int) -> bool:
        result = forecast(agents)
        return result.stable and good(result)

    if ok(low):
        return low
    step, bad = 1, low
    while True:
        high = min(bad + step, limit)
        if ok(high):
            break
        if high >= limit:
            return None
        bad, step = high, step * 2
    while high - bad > 1:  # ok(high), not ok(bad)
        middle = (bad + high) // 2
        if ok(middle):
            high = middle
        else:
            bad = middle
    return high
