"""Enter on a row: the record in words for people, kept live (ages tick every second and the
record follows its row), with what goes with it:

* an agent: their recent activity, newest first, from the source's activity log where it
  keeps one (an optional capability reached through the engine: the UI talks to no vendor);
  reloaded when the agent's state changes;
* a queue: the contacts waiting in it with their waits, today's figures (offered, answered,
  abandoned, ASA, AHT, SL), the forecast with its inputs (or why there is none) and the
  agents who can take them, by state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ccmon.domain import (
    Action,
    Agent,
    AgentActivity,
    AgentState,
    Collection,
    Interaction,
    Period,
    Phase,
    Queue,
    Sla,
)
from ccmon.domain.policy import SlaPolicy
from ccmon.domain.serialize import plain
from ccmon.engine.metrics import ContactStats, queue_wait
from ccmon.http import SourceError
from ccmon.privacy import mask
from ccmon.ui import forecast_text
from ccmon.ui import format as fmt
from ccmon.ui.panes.agents import STATE_LABEL, STATE_ORDER
from ccmon.ui.panes.sla import SlaRow

if TYPE_CHECKING:
    from ccmon.ui.app import CcmonApp
    from ccmon.ui.widgets.record_table import RecordTable

PII_FIELDS = frozenset({"customer"})
HIDDEN_FIELDS = frozenset({"key"})
"""Internal: the row key of a derived row says nothing a person needs."""

LABELS = {
    "source": "Source",
    "id": "ID",
    "name": "Name",
    "state": "State",
    "status": "Vendor status",
    "state_since": "In this state since",
    "team": "Team",
    "channel": "Channel",
    "in_queue": "Waiting now",
    "longest_wait_s": "Longest wait",
    "oldest_since": "Longest waiting since",
    "agent_ids": "Agents assigned",
    "scope": "Scope",
    "sla_pct": "Service level (vendor)",
    "lang": "Language",
    "kind": "Kind",
    "phase": "Phase",
    "queue": "Queue",
    "agent": "Agent",
    "created_at": "Came in",
    "answered_at": "Answered",
    "ended_at": "Ended",
    "wait_s": "Wait",
    "duration_s": "Duration",
    "customer": "Customer",
    "direction": "Direction",
    "sla_event": "Service level",
    "updated_at": "Last updated",
    "start": "Starts",
    "end": "Ends",
    "period_id": "Period",
    "classification": "Classification",
    "sub_classification": "Sub-classification",
    "assignees": "Assignees",
    "status_since": "In this status since",
    "created_by": "Created by",
    "vendor_pct": "Service level (vendor)",
    "computed_pct": "Service level (ccmon)",
    "answered": "Answered",
    "abandoned": "Abandoned",
}
"""Field → words; a field without one reads as its name in words ("some_field" → "Some field")."""

KIND_NAMES: dict[type, str] = {
    Agent: "Agent",
    Queue: "Queue",
    Interaction: "Contact",
    Sla: "Service level",
    SlaRow: "Service level",
    Action: "ALO action",
    Period: "Period",
}
PHASE_WORDS = {
    Phase.WAITING: "Waiting",
    Phase.ACTIVE: "In progress",
    Phase.ENDED: "Ended",
    Phase.ABANDONED: "Abandoned",
    Phase.FAILED: "Failed",
    Phase.OTHER: "Other",
}
SLA_EVENT_WORDS = {
    "in_sla": "answered within target",
    "not_in_sla": "not within target",
    "excluded": "not counted",
}
SCOPE_WORDS = {"queue": "queue", "queue_group": "queue group"}


def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").strip().capitalize()


def state_words(state: AgentState) -> str:
    """``● Available``, ``◌ Away``: the symbol the agents pane uses and a word."""
    symbol = STATE_LABEL[state]
    return symbol if " " in symbol else f"{symbol} {state.value.replace('_', ' ').capitalize()}"


def title_of(record: Any) -> str:
    kind = KIND_NAMES.get(type(record), type(record).__name__)
    if isinstance(record, Queue):
        return f"{kind} · {record.name} ({record.channel})"
    if isinstance(record, Interaction):
        return f"{kind} · {record.kind} {record.id}"
    name = getattr(record, "name", None) or getattr(record, "id", None)
    return f"{kind} · {name}" if name else kind


def _value(record: Any, name: str, raw: Any, now: float | None) -> str:
    if raw is None:
        return fmt.DASH
    if isinstance(raw, AgentState):
        return state_words(raw)
    if isinstance(raw, Phase):
        return PHASE_WORDS[raw]
    if name == "sla_event" and isinstance(raw, str):
        return SLA_EVENT_WORDS.get(raw, raw)
    if name == "scope" and isinstance(raw, str):
        return SCOPE_WORDS.get(raw, raw)
    if name == "agent_ids" and isinstance(raw, tuple):
        return f"{len(raw)}" + (" (listed below)" if raw else "")
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if now is not None and isinstance(raw, datetime):
        return f"{fmt.when(raw, now)} ({fmt.since(raw, now)} ago)"
    if now is not None and name.endswith("_s") and isinstance(raw, int | float):
        return fmt.duration(raw)
    if name.endswith("_pct") and isinstance(raw, int | float):
        return fmt.percent(raw)
    value = plain(raw)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or fmt.DASH
    return str(value.value if isinstance(value, Enum) else value)


def record_lines(record: Any, *, mask_pii: bool, now: float | None = None) -> Text:
    """``label  value`` lines; values are data, appended as plain text (never markup).

    With ``now`` (epoch seconds) the figures are as they stand then: times read as on the rest
    of the screen (local time, and how long ago), durations as durations, a contact's wait or
    talk still under way and a queue's longest wait counted up to ``now``."""
    text = Text()
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return Text(str(record))
    if now is not None and isinstance(record, Interaction):
        record = record.as_of(datetime.fromtimestamp(now, UTC))
    names = [f.name for f in dataclasses.fields(record) if f.name not in HIDDEN_FIELDS]
    width = max(len(label(n)) for n in names) + 2
    for name in names:
        raw = getattr(record, name)
        if now is not None and isinstance(record, Queue) and name == "longest_wait_s":
            raw = queue_wait(record, datetime.fromtimestamp(now, UTC))
        shown = _value(record, name, raw, now)
        if name in PII_FIELDS and mask_pii and raw is not None:
            shown = mask(shown) or fmt.DASH
        text.append(f"{label(name):<{width}}", style="bold")
        text.append(f"{shown}\n")
    text.rstrip()
    return text


# -- what goes with a record --------------------------------------------------------------
def activity_lines(entries: Iterable[AgentActivity], now: float) -> Text:
    """Newest first: when, what happened, the status it left the agent in, for how long
    (still counting for the entry the agent is in now)."""
    lines = Text()
    for entry in entries:
        state = state_words(entry.state).split(" ", 1)[0] if entry.state is not None else " "
        status = f"{state} {entry.status or fmt.DASH}"
        if entry.ended_at is None and entry.started_at is not None:
            took = f"{fmt.since(entry.started_at, now)} so far"
        else:
            took = fmt.duration(entry.duration_s)
        lines.append(f"{fmt.when(entry.started_at, now):<9}{entry.what:<24} {status:<16} ")
        lines.append(f"{took}\n")
    lines.rstrip()
    return lines or Text("no activity logged")


def _matches(queue: Queue) -> Callable[[Interaction], bool]:
    return lambda c: c.source == queue.source and c.queue == queue.name and c.kind == queue.channel


def waiting_lines(queue: Queue, contacts: Iterable[Interaction], now: float, masked: bool) -> Text:
    """The contacts waiting in ``queue``, longest wait first, with their waits so far."""
    waiting = sorted(
        (c for c in contacts if c.phase is Phase.WAITING and _matches(queue)(c)),
        key=lambda c: (c.waiting_since or datetime.max.replace(tzinfo=UTC), c.key),
    )
    lines = Text()
    for contact in waiting:
        customer = (mask(contact.customer) if masked else contact.customer) or fmt.DASH
        lines.append(
            f"{fmt.since(contact.waiting_since, now):>8}  {contact.kind} {contact.id:<10} "
        )
        lines.append(f"{customer}\n")
    if len(waiting) != queue.in_queue:
        lines.append(
            f"(the queue's live count is {queue.in_queue}; contacts are read every 30 s or so, "
            "so this list can lag behind it)\n",
            style="italic",
        )
    lines.rstrip()
    return lines if waiting or queue.in_queue else Text("nobody waiting")


def today_lines(
    queue: Queue, contacts: Iterable[Interaction], now: float, policy: SlaPolicy
) -> tuple[str, Text]:
    """Today's figures of ``queue`` from the contacts ccmon holds (as far back as it reads
    them: ``history_minutes``), and a heading that says from when they count."""
    midnight = (
        datetime.fromtimestamp(now).astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    )
    held = [c for c in contacts if c.source == queue.source and c.created_at is not None]
    earliest = min((c.created_at for c in held if c.created_at is not None), default=None)
    stats = ContactStats()
    for contact in held:
        if (
            contact.created_at is not None
            and contact.created_at >= midnight
            and _matches(queue)(contact)
        ):
            stats.add(contact, policy)
    if earliest is not None and earliest > midnight:
        heading = (
            f"Since {fmt.clock(earliest)} (as far back as ccmon reads contacts: "
            f"{queue.source} history_minutes)"
        )
    elif earliest is None:
        heading = "Today (no contacts read yet)"
    else:
        heading = "Today"
    figures = (
        f"offered {stats.offered} · answered {stats.answered} · abandoned {stats.abandoned}"
        f" · ASA {fmt.duration(stats.asa_s)} · AHT {fmt.duration(stats.aht_s)}"
        f" · SL {fmt.percent(stats.sl_pct(policy))}"
    )
    return heading, Text(figures)


def agent_lines(queue: Queue, agents: Iterable[Agent], now: float) -> tuple[str, Text]:
    """The agents assigned to ``queue``, available first, with their state and time in it."""
    by_id = {a.id: a for a in agents if a.source == queue.source}
    assigned = sorted(
        (by_id[i] for i in queue.agent_ids if i in by_id),
        key=lambda a: (STATE_ORDER.index(a.state), a.name),
    )
    available = sum(1 for a in assigned if a.state is AgentState.AVAILABLE)
    heading = (
        f"Agents who can take them ({len(queue.agent_ids)}, {available} available; "
        "assigned to this queue in the vendor's menus)"
    )
    lines = Text()
    for agent in assigned:
        state = state_words(agent.state)
        if agent.state in (AgentState.AWAY, AgentState.OTHER):
            state = f"{STATE_LABEL[agent.state]} {agent.status}"
        lines.append(f"{agent.name:<28} {state:<20} ")
        lines.append(f"{fmt.since(agent.state_since, now):>8}\n")
    missing = len(queue.agent_ids) - len(assigned)
    if missing:
        lines.append(f"… and {missing} not in the roster yet\n")
    if not queue.agent_ids:
        lines = Text(f"{queue.source} reports no agents for this queue")
    lines.rstrip()
    return heading, lines


class DetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > VerticalScroll {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: round $ccmon-border-focus; background: $surface; padding: 0 1;
    }
    DetailScreen .section { margin-top: 1; text-style: bold; }
    """

    def __init__(
        self,
        ccmon: CcmonApp,
        record: Any,
        *,
        table: RecordTable[Any] | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__()
        self.ccmon = ccmon
        self.record = record
        self._table = table
        self._key = key if key is not None else getattr(record, "key", None)
        self._activity: list[AgentActivity] | None = None
        self._activity_error: str | None = None
        self._loaded_for: tuple[Any, ...] | None = None
        self._gone = False

    # -- the record, kept current ----------------------------------------------------------
    def _current(self) -> Any:
        """The row's record as it is now (it follows the pane), the last one seen if it went."""
        if self._table is not None and self._key is not None:
            for record in self._table.ordered_records():
                if getattr(record, "key", None) == self._key:
                    self._gone = False
                    return record
            self._gone = True
        return self.record

    @property
    def _activity_key(self) -> str | None:
        if isinstance(self.record, Agent) and self.ccmon.engine.has_agent_activity(self.record.key):
            return self.record.key
        return None

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = Content(f"{title_of(self.record)} · Esc to close")
            yield Static(id="fields", markup=False)
            if self._activity_key is not None:
                yield Static("Recent activity (newest first)", classes="section", markup=False)
                yield Static("loading …", id="extra", markup=False)
            elif isinstance(self.record, Queue):
                for part in ("waiting", "today", "forecast", "agents"):
                    yield Static(id=f"{part}-title", classes="section", markup=False)
                    yield Static(id=part, markup=False)

    def on_mount(self) -> None:
        self._refresh()
        self.set_interval(self.ccmon.options.tick_s, self._refresh)

    def _refresh(self) -> None:
        """Every tick: ages count on, and the record and its sections follow the data."""
        self.record = self._current()
        options = self.ccmon.options
        now = options.wall()
        fields = record_lines(self.record, mask_pii=options.mask_pii, now=now)
        if self._gone:
            fields.append("\n(no longer listed: as it was last seen)", style="italic")
        self.query_one("#fields", Static).update(fields)
        if isinstance(self.record, Queue):
            self._show_queue(self.record, now)
        elif self._activity_key is not None:
            self._show_activity(now)

    def _show_queue(self, queue: Queue, now: float) -> None:
        floor = self.ccmon.engine
        contacts = list(floor.records(Collection.INTERACTIONS, Interaction))
        waiting = waiting_lines(queue, contacts, now, self.ccmon.options.mask_pii)
        self.query_one("#waiting-title", Static).update(f"Contacts waiting ({queue.in_queue})")
        self.query_one("#waiting", Static).update(waiting)
        heading, today = today_lines(queue, contacts, now, self.ccmon.options.policy)
        self.query_one("#today-title", Static).update(heading)
        self.query_one("#today", Static).update(today)
        forecast = self.ccmon.forecasts.get(queue.key)
        self.query_one("#forecast-title", Static).update(
            "Forecast" if forecast is None else forecast_text.heading(forecast)
        )
        self.query_one("#forecast", Static).update(
            Text(
                "no forecast yet (no figures computed)"
                if forecast is None
                else forecast_text.detail_lines(forecast, queue.channel),
                style="italic",
            )
        )
        heading, agents = agent_lines(queue, floor.records(Collection.AGENTS, Agent), now)
        self.query_one("#agents-title", Static).update(heading)
        self.query_one("#agents", Static).update(agents)

    def _show_activity(self, now: float) -> None:
        agent = self.record
        assert isinstance(agent, Agent)
        state = (agent.state, agent.status, agent.state_since)
        if state != self._loaded_for:  # the agent moved on: what they did changed
            self._loaded_for = state
            self.run_worker(
                self._load_activity(agent.key),
                exit_on_error=False,
                group="activity",
                exclusive=True,
            )
        self._paint_activity(now)

    def _paint_activity(self, now: float) -> None:
        target = self.query_one("#extra", Static)
        if self._activity_error is not None:
            target.update(Text(f"could not load: {self._activity_error}"))
        elif self._activity is not None:
            target.update(activity_lines(self._activity, now))

    async def _load_activity(self, key: str) -> None:
        try:
            self._activity = await self.ccmon.engine.agent_activity(key)
            self._activity_error = None
        except SourceError as exc:
            self._activity_error = str(exc)
        if self.is_mounted:
            self._paint_activity(self.ccmon.options.wall())
