"""The world as the server and tests share it: behind a lock, caught up to the clock on use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from ccmon.sim.clock import SimClock
from ccmon.sim.timefmt import to_datetime
from ccmon.sim.world import World
from ccmon.sim.world.model import Channel
from ccmon.sim.world.statuses import status_by_name


@dataclass(frozen=True, slots=True)
class AgentView:
    id: int
    name: str
    first_name: str
    last_name: str
    email: str
    status: str
    status_id: int
    logged_in: bool
    teams: tuple[str, ...]
    queues: tuple[str, ...]  # "menu/path:channel"


@dataclass(frozen=True, slots=True)
class QueueView:
    menu_id: int
    menu_path_id: int | None
    path: str
    channel: str
    waiting: int
    available_agents: int


@dataclass(frozen=True, slots=True)
class TeamView:
    id: int
    name: str
    parent_id: int | None
    member_ids: tuple[int, ...]


class LiveWorld:
    """Thread-safe access to a :class:`World` that follows a :class:`SimClock`.

    Reads return snapshots; nothing returned changes afterwards.
    """

    def __init__(self, world: World, clock: SimClock) -> None:
        self._world = world
        self.clock = clock
        self._lock = threading.Lock()

    @contextmanager
    def current(self) -> Iterator[World]:
        """The world, locked and advanced to the clock's present, for one short read or poke."""
        with self._lock:
            self._world.advance_to(self.clock.now())
            yield self._world

    def now(self) -> datetime:
        with self.current() as world:
            return to_datetime(world.now)

    def agents(self) -> list[AgentView]:
        with self.current() as world:
            return [
                AgentView(
                    id=a.id,
                    name=a.name,
                    first_name=a.first_name,
                    last_name=a.last_name,
                    email=a.email,
                    status=a.status.name,
                    status_id=a.status.id,
                    logged_in=a.logged_in,
                    teams=tuple(team.name for team in a.teams),
                    queues=tuple(f"{q.menu.path}:{q.channel}" for q in a.queues),
                )
                for a in world.ccai.floor.agents
            ]

    def queues(self) -> list[QueueView]:
        with self.current() as world:
            return [
                QueueView(
                    menu_id=q.menu.id,
                    menu_path_id=q.menu.path_id,
                    path=q.menu.path,
                    channel=q.channel.value,
                    waiting=len(q.waiting),
                    available_agents=len(q.available),
                )
                for q in world.ccai.floor.queues
            ]

    def teams(self) -> list[TeamView]:
        with self.current() as world:
            return [
                TeamView(
                    id=t.id,
                    name=t.name,
                    parent_id=t.parent.id if t.parent else None,
                    member_ids=tuple(a.id for a in t.members),
                )
                for t in world.ccai.floor.teams
            ]

    def set_agent_status(self, agent_id: int, status_name: str) -> None:
        """Put a CCAI agent in a status by name (``Break``, ``Offline``, ``Available``...).

        Raises KeyError for an unknown agent id or status name.
        """
        status = status_by_name(status_name)
        with self.current() as world:
            world.ccai.set_agent_status(world.ccai.agents_by_id[agent_id], status)

    def enqueue_contacts(self, menu_path: str, count: int, channel: str = "call") -> None:
        """Put ``count`` new contacts in the CCAI queue at ``menu_path`` (KeyError if none)."""
        wanted = Channel(channel)
        with self.current() as world:
            for queue in world.ccai.floor.queues:
                if queue.menu.path == menu_path and queue.channel is wanted:
                    world.ccai.enqueue(queue, count)
                    return
        raise KeyError(f"{menu_path}:{channel}")
