"""What the forecast costs the screen at the big floor (5,000 agents, 678 queues, 16,500
contacts, made up here): every queue forecast from scratch, again with nothing changed (the
cache), and after agents changed state (only the changed queues' model runs again).

    python -m benchmarks.bench_forecast_cost [--rounds 20]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta

from benchmarks.common import print_table, row, time_ms
from ccmon.domain import Agent, AgentState, Interaction, Phase, Queue
from ccmon.engine import forecast
from ccmon.engine.metrics import FloorMetrics, compute

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
STATES = (AgentState.AVAILABLE, AgentState.IN_CALL, AgentState.AWAY)


def big_floor(rng: random.Random) -> tuple[FloorMetrics, list[Agent], list[Queue]]:
    agents = [
        Agent("ccai", f"a{i}", f"A{i}", rng.choice(STATES), "x", NOW, None) for i in range(5000)
    ]
    queues = [
        Queue(
            "ccai", str(q), f"Q{q}", "call", rng.randint(0, 5), 10, None,
            tuple(f"a{rng.randrange(5000)}" for _ in range(rng.randint(5, 60))),
        )
        for q in range(678)
    ]  # fmt: skip
    contacts = []
    for i in range(16_500):
        created = NOW - timedelta(seconds=rng.uniform(0, 3600))
        abandoned = rng.random() < 0.08
        contacts.append(
            Interaction(
                "ccai", "call", f"c{i}", "x", Phase.ABANDONED if abandoned else Phase.ENDED,
                f"Q{rng.randrange(678)}", "A", created,
                None if abandoned else created + timedelta(seconds=10),
                created + timedelta(seconds=200), rng.randint(0, 60), rng.randint(60, 400),
            )
        )  # fmt: skip
    metrics = compute(now=NOW, agents=agents, queues=queues, interactions=contacts)
    return metrics, agents, queues


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(1)
    metrics, agents, queues = big_floor(rng)

    def cold() -> None:
        forecast._model.cache_clear()
        forecast._needed.cache_clear()
        forecast.forecast_floor(metrics, agents)

    def cached() -> None:
        forecast.forecast_floor(metrics, agents)

    def moved() -> None:
        # 100 agents change state between two refreshes, as on a busy floor.
        for i in rng.sample(range(len(agents)), 100):
            agent = agents[i]
            agents[i] = Agent(
                agent.source, agent.id, agent.name, rng.choice(STATES), "x", NOW, None
            )
        forecast.forecast_floor(metrics, agents)

    rows = [
        row("every queue from scratch", time_ms(cold, args.rounds)),
        row("nothing changed (cached)", time_ms(cached, args.rounds)),
        row("100 agents changed state", time_ms(moved, args.rounds)),
    ]
    erlang_a = sum(
        1 for f in forecast.forecast_floor(metrics, agents).values() if f.model == "erlang_a"
    )
    print_table(
        f"forecast_floor at 5,000 agents / {len(queues)} queues ({erlang_a} on Erlang A)",
        ["case", "median", "p95", "rounds"],
        rows,
    )


if __name__ == "__main__":
    main()
