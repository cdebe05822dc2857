"""Enter on a row: the whole record, and for an agent its recent activity from the vendor
(one request through the shared, rate-limited client, in a worker)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ccmon.domain import Agent, AgentState, Collection, Queue
from ccmon.domain.serialize import plain
from ccmon.engine.engine import Engine
from ccmon.http import SourceError
from ccmon.privacy import mask
from ccmon.sources.ccai.source import CcaiSource
from ccmon.text import clean
from ccmon.ui import format as fmt

if TYPE_CHECKING:
    from ccmon.ui.app import CcmonApp

PII_FIELDS = frozenset({"customer"})


def record_lines(record: Any, *, mask_pii: bool, now: float | None = None) -> Text:
    """``field  value`` lines; values are data, appended as plain text (never markup).

    With ``now`` (epoch seconds), times read as on the rest of the screen (local time, and
    how long ago) and ``…_s`` fields as durations."""
    text = Text()
    if not dataclasses.is_dataclass(record):
        return Text(str(record))
    names = [f.name for f in dataclasses.fields(record)]
    width = max(len(n) for n in names) + 2
    for name in names:
        raw = getattr(record, name)
        value = plain(raw)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "—"
        shown = "—" if value is None else str(value)
        if now is not None and isinstance(raw, datetime):
            shown = f"{fmt.when(raw, now)} ({fmt.since(raw, now)} ago)"
        elif now is not None and name.endswith("_s") and isinstance(raw, int | float):
            shown = fmt.duration(raw)
        if name in PII_FIELDS and mask_pii and value is not None:
            shown = mask(shown) or "—"
        text.append(f"{name:<{width}}", style="bold")
        text.append(f"{shown}\n")
    return text


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

    def __init__(self, ccmon: CcmonApp, record: Any) -> None:
        super().__init__()
        self.ccmon = ccmon
        self.record = record

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"{type(self.record).__name__} details · Esc to close"
            options = self.ccmon.options
            yield Static(record_lines(self.record, mask_pii=options.mask_pii, now=options.wall()))
            extra = self._extra_title()
            if extra:
                yield Static(extra, classes="section", markup=False)
                yield Static("loading …", id="extra", markup=False)

    def _extra_title(self) -> str | None:
        if isinstance(self.record, Agent) and self._ccai() is not None:
            return "Recent activity (newest first)"
        if isinstance(self.record, Queue):
            return "Agents assigned"
        return None

    def _ccai(self) -> CcaiSource | None:
        if not isinstance(self.record, Agent):
            return None
        floor = self.ccmon.engine
        for source in floor.sources if isinstance(floor, Engine) else ():
            if isinstance(source, CcaiSource) and source.name == self.record.source:
                return source
        return None

    def on_mount(self) -> None:
        if isinstance(self.record, Queue):
            self._show_queue_agents(self.record)
        elif self._ccai() is not None:
            self.run_worker(self._load_activity(), exit_on_error=False)

    def _show_queue_agents(self, queue: Queue) -> None:
        agents = {
            a.id: a
            for a in self.ccmon.engine.records(Collection.AGENTS, Agent)
            if a.source == queue.source
        }
        lines = Text()
        order = list(AgentState)
        assigned = sorted(
            (agents[i] for i in queue.agent_ids if i in agents),
            key=lambda a: (order.index(a.state), a.name),
        )
        for agent in assigned:
            since = fmt.since(agent.state_since, self.ccmon.options.wall())
            lines.append(f"{agent.name:<28} {agent.status:<16} {since}\n")
        missing = len(queue.agent_ids) - len(assigned)
        if missing:
            lines.append(f"… and {missing} not in the roster yet\n")
        self.query_one("#extra", Static).update(lines or Text("no agents assigned"))

    async def _load_activity(self) -> None:
        source = self._ccai()
        assert source is not None
        assert isinstance(self.record, Agent)
        target = self.query_one("#extra", Static)
        try:
            rows = await source.activity(self.record.id)
        except SourceError as exc:
            target.update(Text(f"could not load: {exc}"))
            return
        lines = Text()
        for row in rows:
            status = clean(row.status.name if row.status else None) or "—"
            lines.append(
                f"{fmt.when(row.started_at, self.ccmon.options.wall()):<17} "
                f"{clean(row.activity) or '—':<28} {status:<14} "
                f"{fmt.duration(row.duration)}\n"
            )
        target.update(lines or Text("no activity logged"))
