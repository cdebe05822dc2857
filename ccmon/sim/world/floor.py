"""Builds the static side of a floor: menus (queues), queue groups, teams and agents.

The first entries of every list are hand-written so that the default floor reads
like a real contact center; larger floors are generated from the same pools.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from ccmon.sim.world.model import (
    Agent,
    AgentAssignment,
    Channel,
    Menu,
    Queue,
    QueueGroup,
    Team,
    TeamAssignment,
)
from ccmon.sim.world.names import LOCATIONS, PersonNames, email_for

CALL, CHAT = Channel.CALL, Channel.CHAT


@dataclass(frozen=True, slots=True)
class _Root:
    name: str
    menu_type: str
    channels: tuple[Channel, ...]
    output_msg: str | None


_ROOTS = (
    _Root("Main Line", "ivr_menu", (CALL,), "Thanks for calling Acme Support."),
    _Root("Web Chat", "web_menu", (CHAT,), None),
    _Root("Mobile App", "mobile_menu", (CALL, CHAT), None),
)


@dataclass(frozen=True, slots=True)
class _LeafSpec:
    root: int
    path: tuple[str, ...]  # below the root
    group: str
    weights: tuple[float, ...]  # per channel of the root


_CURATED_LEAVES = (
    _LeafSpec(0, ("Billing",), "Billing", (0.20,)),
    _LeafSpec(0, ("Technical Support", "Internet"), "Technical Support", (0.20,)),
    _LeafSpec(0, ("Technical Support", "Mobile"), "Technical Support", (0.12,)),
    _LeafSpec(0, ("Sales",), "Sales", (0.10,)),
    _LeafSpec(1, ("Orders",), "Orders", (0.18,)),
    _LeafSpec(2, ("Account Help",), "Customer Care", (0.08, 0.10)),
)

_DEPARTMENTS = (
    "Billing", "Technical Support", "Sales", "Orders", "Returns", "Retention", "Claims",
    "Onboarding", "Fraud", "Shipping", "Appointments", "Warranty", "Accessibility",
    "Business Accounts", "Premium Support", "Loyalty",
)  # fmt: skip
_REGIONS = (
    "North America", "EMEA", "LATAM", "APAC", "UK", "DACH", "Nordics", "Iberia", "ANZ", "Japan",
    "India", "Brazil", "Mexico", "France", "Italy", "Benelux", "Canada", "Gulf", "Africa", "Korea",
    "Poland", "Turkey", "Philippines", "Caribbean",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _TeamSpec:
    name: str
    parent: int | None
    weight: float  # share of the agents
    serves: tuple[tuple[int, Channel | None, str], ...]  # (curated leaf, channel or all, level)


_CURATED_TEAMS = (
    _TeamSpec("Support", None, 0.0, ()),
    _TeamSpec(
        "Tier 1 Support",
        0,
        6.0,
        ((1, None, "primary"), (2, None, "primary"), (5, CALL, "secondary")),
    ),
    _TeamSpec("Tier 2 Support", 0, 3.0, ((1, None, "secondary"), (2, None, "primary"))),
    _TeamSpec("Billing", None, 7.0, ((0, None, "primary"), (5, None, "primary"))),
    _TeamSpec("Sales", None, 4.0, ((3, None, "primary"), (4, None, "secondary"))),
    _TeamSpec("Digital Care", None, 4.0, ((4, None, "primary"), (5, CHAT, "primary"))),
)
_FIRST_MENU_ID = 1001
_FIRST_PATH_ID = 501
_FIRST_TEAM_ID = 11
_FIRST_GROUP_ID = 21
_FIRST_AGENT_ID = 101
_SECONDS_PER_YEAR = 365 * 86400


@dataclass(slots=True)
class Floor:
    menus: list[Menu] = field(default_factory=list)  # every menu, parents first, in id order
    queues: list[Queue] = field(default_factory=list)
    groups: list[QueueGroup] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)

    @property
    def leaves(self) -> list[Menu]:
        return [menu for menu in self.menus if menu.queues]

    @property
    def roots(self) -> list[Menu]:
        return [menu for menu in self.menus if menu.parent is None]


def _queue_settings(queue: Queue) -> None:
    if queue.channel is CHAT:
        queue.target_time, queue.target_percent = 120, 80
        queue.patience_mean, queue.max_wait = 420.0, 900.0
    else:
        queue.target_time, queue.target_percent = 60, 80
        queue.patience_mean = 240.0


class _MenuBuilder:
    def __init__(self, floor: Floor) -> None:
        self.floor = floor
        self._ids = itertools.count(_FIRST_MENU_ID)
        self._path_ids = itertools.count(_FIRST_PATH_ID)
        self._by_path: dict[tuple[str, ...], Menu] = {}
        self._groups: dict[str, QueueGroup] = {}

    def menu(self, root: _Root, path: tuple[str, ...]) -> Menu:
        """The menu at ``path`` (root name first), creating it and its parents."""
        found = self._by_path.get(path)
        if found is not None:
            return found
        parent = self.menu(root, path[:-1]) if len(path) > 1 else None
        siblings = parent.children if parent else self.floor.roots
        menu = Menu(
            id=next(self._ids),
            name=path[-1],
            position=len(siblings),
            menu_type=root.menu_type,
            parent=parent,
            output_msg=root.output_msg if parent is None else f"You selected {path[-1]}.",
        )
        if parent is not None:
            parent.children.append(menu)
        self._by_path[path] = menu
        self.floor.menus.append(menu)
        return menu

    def leaf(
        self, root: _Root, path: tuple[str, ...], group: str, weights: tuple[float, ...]
    ) -> Menu:
        menu = self.menu(root, (root.name, *path))
        menu.path_id = next(self._path_ids)
        queue_group = self._groups.get(group)
        if queue_group is None:
            queue_group = QueueGroup(_FIRST_GROUP_ID + len(self._groups), group)
            self._groups[group] = queue_group
            self.floor.groups.append(queue_group)
        for channel, weight in zip(root.channels, weights, strict=True):
            queue = Queue(menu=menu, channel=channel, group=queue_group, weight=weight)
            _queue_settings(queue)
            menu.queues.append(queue)
            self.floor.queues.append(queue)
        return menu


def _generated_leaf_specs(rng: random.Random, count: int) -> list[_LeafSpec]:
    curated = {(spec.root, spec.path[0]) for spec in _CURATED_LEAVES}
    combos = [
        (root, dept, region)
        for root in range(len(_ROOTS))
        for dept in _DEPARTMENTS
        for region in _REGIONS
        if (root, dept) not in curated
    ]
    rng.shuffle(combos)
    if count > len(combos):
        raise ValueError(f"at most {len(combos) + len(_CURATED_LEAVES)} queues can be simulated")
    specs = []
    for root, dept, region in combos[:count]:
        weights = tuple(rng.uniform(0.2, 1.0) for _ in _ROOTS[root].channels)
        specs.append(_LeafSpec(root, (dept, region), dept, weights))
    return specs


def _build_menus(floor: Floor, rng: random.Random, count: int) -> list[Menu]:
    builder = _MenuBuilder(floor)
    for root in _ROOTS:
        builder.menu(root, (root.name,))
    specs = list(_CURATED_LEAVES[:count])
    specs += _generated_leaf_specs(rng, max(0, count - len(_CURATED_LEAVES)))
    return [builder.leaf(_ROOTS[s.root], s.path, s.group, s.weights) for s in specs]


def _build_teams(floor: Floor, agent_count: int) -> list[tuple[Team, float]]:
    """Teams and the share of agents each gets; parents first."""
    wanted = max(len(_CURATED_TEAMS), round(agent_count / 20))
    weighted: list[tuple[Team, float]] = []
    for position, spec in enumerate(_CURATED_TEAMS):
        parent = floor.teams[spec.parent] if spec.parent is not None else None
        team = Team(_FIRST_TEAM_ID + position, spec.name, position, parent)
        if parent is not None:
            parent.children.append(team)
        floor.teams.append(team)
        weighted.append((team, spec.weight))
    for index in range(wanted - len(_CURATED_TEAMS)):
        name = f"{_DEPARTMENTS[index % len(_DEPARTMENTS)]} Pod {index // len(_DEPARTMENTS) + 1}"
        team = Team(_FIRST_TEAM_ID + len(floor.teams), name, len(floor.teams))
        floor.teams.append(team)
        weighted.append((team, 4.0))
    return weighted


def _assign(queue: Queue, team: Team, level: str) -> None:
    if all(existing.team is not team for existing in queue.team_assignments):
        queue.team_assignments.append(TeamAssignment(team, level))


def _assign_teams_to_queues(leaves: list[Menu], working: list[Team]) -> None:
    curated = {spec.name: spec for spec in _CURATED_TEAMS}
    for team in working:
        spec = curated.get(team.name)
        for leaf_index, channel, level in spec.serves if spec else ():
            if leaf_index < len(leaves):
                for queue in leaves[leaf_index].queues:
                    if channel is None or queue.channel is channel:
                        _assign(queue, team, level)
    for index in range(len(_CURATED_LEAVES), len(leaves)):
        for queue in leaves[index].queues:
            _assign(queue, working[index % len(working)], "primary")
            _assign(queue, working[(index * 7 + 3) % len(working)], "secondary")
    # Every team serves something and every queue has a team.
    served = {a.team.id for leaf in leaves for q in leaf.queues for a in q.team_assignments}
    for index, team in enumerate(working):
        if team.id not in served:
            for queue in leaves[index % len(leaves)].queues:
                _assign(queue, team, "primary")
    for index, leaf in enumerate(leaves):
        for queue in leaf.queues:
            if not queue.team_assignments:
                _assign(queue, working[index % len(working)], "primary")


def _build_agents(
    floor: Floor, rng: random.Random, names: PersonNames, count: int, domain: str, now: float
) -> None:
    for index in range(count):
        first, last = names.draw()
        floor.agents.append(
            Agent(
                id=_FIRST_AGENT_ID + index,
                first_name=first,
                last_name=last,
                email=email_for(first, last, domain),
                agent_number=str(2000 + index),
                location=rng.choice(LOCATIONS),
                created_at=float(int(now - rng.uniform(0.1, 4.0) * _SECONDS_PER_YEAR)),
            )
        )


def _staff_teams(floor: Floor, rng: random.Random, weighted: list[tuple[Team, float]]) -> None:
    working = [(team, weight) for team, weight in weighted if weight > 0]
    teams = [team for team, _ in working]
    weights = [weight for _, weight in working]
    for index, agent in enumerate(floor.agents):
        # One agent per team first, so that even a tiny floor covers every queue.
        team = teams[index] if index < len(teams) else rng.choices(teams, weights)[0]
        team.members.append(agent)
        agent.teams.append(team)
    for team in teams:
        if team.members:
            team.members[0].roles = ("agent", "manager")


def _route_agents(floor: Floor, rng: random.Random) -> None:
    by_team: dict[int, list[Queue]] = {}
    for queue in floor.queues:
        for assignment in queue.team_assignments:
            by_team.setdefault(assignment.team.id, []).append(queue)
    for index, agent in enumerate(floor.agents):
        for team in agent.teams:
            agent.queues.extend(q for q in by_team.get(team.id, []) if q not in agent.queues)
        # About one agent in twelve also covers one more queue directly.
        if index % 12 == 11:
            extra = rng.choice(floor.queues)
            if extra not in agent.queues:
                agent.queues.append(extra)
                extra.agent_assignments.append(AgentAssignment(agent, "secondary"))


def build_ccai_floor(
    rng: random.Random, names: PersonNames, agents: int, queues: int, now: float
) -> Floor:
    if agents < 1 or queues < 1:
        raise ValueError("a floor needs at least one agent and one queue")
    floor = Floor()
    leaves = _build_menus(floor, rng, queues)
    weighted = _build_teams(floor, agents)
    _build_agents(floor, rng, names, agents, "support.example.com", now)
    _staff_teams(floor, rng, weighted)
    working = [team for team in floor.teams if team.members]
    _assign_teams_to_queues(leaves, working)
    _route_agents(floor, rng)
    return floor


_EVO_QUEUES = ("Support Queue", "Sales Queue", "Billing Queue", "After Hours")


def build_evo_floor(
    rng: random.Random, names: PersonNames, agents: int, queues: int, now: float
) -> Floor:
    """Evo Voice's side: hold queues that take calls and chats, and the agents answering them."""
    floor = Floor()
    for index in range(queues):
        name = _EVO_QUEUES[index] if index < len(_EVO_QUEUES) else f"Queue {index + 1:03d}"
        menu = Menu(id=index + 1, name=name, position=index, menu_type="evo_queue")
        menu.external_id = f"{rng.getrandbits(96):024x}"
        floor.menus.append(menu)
        for channel, weight in ((CALL, 0.85), (CHAT, 0.15)):
            queue = Queue(menu=menu, channel=channel, group=None, weight=weight / (index + 1))
            _queue_settings(queue)
            menu.queues.append(queue)
            floor.queues.append(queue)
    _build_agents(floor, rng, names, agents, "evo.example.com", now)
    for index, agent in enumerate(floor.agents):
        if queues <= 4:
            menus = floor.menus
        else:
            menus = [floor.menus[index % queues], *rng.sample(floor.menus, 2)]
        for menu in menus:
            agent.queues.extend(q for q in menu.queues if q not in agent.queues)
    return floor
