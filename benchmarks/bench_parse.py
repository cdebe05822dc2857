"""Parse + map cost of vendor payloads at 5,000 agents and 20,000 interactions.

    python -m benchmarks.bench_parse

Fetches real payloads from the simulator once, then times ccmon's tolerant parsing
(pydantic) and mapping to domain records, in memory.
"""

from __future__ import annotations

from benchmarks.common import big_floor, fetch_all, print_table, row, time_ms
from ccmon.runtime import tune_gc
from ccmon.sources.ccai import mapping
from ccmon.sources.ccai import models as m
from ccmon.sources.tolerant import ParseTally, parse_records

ROUNDS = 7


def main() -> None:
    tune_gc()  # as every ccmon command does
    with big_floor() as sim:
        roster = fetch_all(sim, "ccai", "agents")
        current = fetch_all(sim, "ccai", "agents/current_status")
        since = {"updated_at[from]": "2000-01-01T00:00:00.000Z"}
        calls = fetch_all(sim, "ccai", "calls", since)
        chats = fetch_all(sim, "ccai", "chats", since)

    def agents() -> None:
        tally = ParseTally()
        listed = {a.id: mapping.roster_entry(a) for a in parse_records(m.Agent, roster, tally)}
        live = {a.id: a for a in parse_records(m.AgentCurrentStatus, current, tally)}
        [mapping.to_agent(listed.get(i), live.get(i), {}) for i in listed]

    def interactions() -> None:
        tally = ParseTally()
        rows = parse_records(m.Call, calls, tally) + parse_records(m.Chat, chats, tally)
        [mapping.to_interaction(r) for r in rows]

    print_table(
        f"parse + map ({len(roster)} agents, {len(current)} statuses, "
        f"{len(calls)} calls + {len(chats)} chats)",
        ["step", "median", "p95", "rounds"],
        [
            row(f"agents: roster + current_status → {len(roster)} Agent", time_ms(agents, ROUNDS)),
            row(
                f"interactions: calls + chats → {len(calls) + len(chats)} Interaction",
                time_ms(interactions, ROUNDS),
            ),
        ],
    )


if __name__ == "__main__":
    main()
