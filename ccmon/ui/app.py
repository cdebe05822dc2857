"""``CcmonApp``: the live monitor. It owns no network code: the engine's pollers run as tasks in
the app's event loop and hand over diffs; the app applies them in batches and runs one timer
that ticks clocks, expires highlights and refreshes the status bar."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import termios
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs

from ccmon import __version__
from ccmon.domain import Action, Collection, Interaction, Period, Sla
from ccmon.domain.periods import current_period
from ccmon.engine.alerts import AlertMonitor
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.engine.metrics import FloorMetrics
from ccmon.files import open_private_unique
from ccmon.snapshot.csv import records_csv
from ccmon.snapshot.privacy import masked_record
from ccmon.ui import partial_updates
from ccmon.ui.alert_command import run_alert_command
from ccmon.ui.options import UiOptions
from ccmon.ui.panes.actions import BoardPane
from ccmon.ui.panes.agents import AgentsPane, summary
from ccmon.ui.panes.interactions import InteractionsPane
from ccmon.ui.panes.queues import QueuesPane
from ccmon.ui.panes.sla import SlaPane, rows
from ccmon.ui.screens.wallboard import WallboardScreen
from ccmon.ui.themes import DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes
from ccmon.ui.widgets.kpis import KpiStrip, kpis
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import RecordTable
from ccmon.ui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)

partial_updates.install()

COMPACT_WIDTH = 120
COMPACT_HEIGHT = 32
NAIVE_REDRAW = bool(os.environ.get("CCMON_NAIVE_REDRAW"))
"""Benchmarks only: repaint the whole screen every tick, as a redraw-everything tool would."""
FLUSH_DELAY_S = 0.1
KPI_OF_RULE = {
    "longest_wait_s": "longest",
    "sl_below_pct": "sl",
    "waiting_above": "waiting",
    "available_below": "available",
    "action_open_min": "actions",
}
"""Diffs arriving within this long are applied together (one repaint, not one per feed)."""


class CcmonApp(App[None]):
    TITLE = "ccmon"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        # As htop and k9s do, over Textual's own "press ctrl+q to quit" and its copy key.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("p,space", "pause", "Pause"),
        Binding("r", "refresh", "Refresh"),
        Binding("z", "zoom", "Zoom"),
        # Over Textual's own focus cycling (a screen binding), so that on a compact screen,
        # where one pane shows, tab turns to the next pane rather than to the tab strip.
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True),
        Binding("w", "wallboard", "Wallboard"),
        Binding("t", "next_theme", "Theme", show=False),
        Binding("e", "export", "Export CSV", show=False),
        *(Binding(str(n), f"show_pane({n})", f"Pane {n}", show=False) for n in range(1, 6)),
    ]

    help_keys: ClassVar[list[tuple[str, str]]] = []
    """Keys a subclass adds, listed after the app's own in ``?`` help."""

    def __init__(
        self,
        engine: Engine,
        options: UiOptions | None = None,
        *,
        theme: str = DEFAULT_THEME,
        demo: bool = False,
        wallboard: bool = False,
        rotate_s: float = 0.0,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.options = options or UiOptions()
        self._themes = load_themes()
        self._theme_name = theme
        self.demo = demo
        self.start_wallboard = wallboard
        self.rotate_s = rotate_s
        self.metrics: FloorMetrics | None = None
        self.paused = False
        self._pending: list[DiffEvent] = []
        self._flush_scheduled = False
        self._vendor_sla: dict[str, Sla] = {}
        self._filled: set[tuple[Collection, str]] = set()
        self._title = ""
        self.alerts = AlertMonitor(self.options.alerts)
        self._tty: int | None = None
        self._period: Period | None = None
        self._unsubscribe: Any = None
        self.panes: list[Pane] = [
            AgentsPane(self.options),
            QueuesPane(lambda: self.metrics, self.options),
            SlaPane(self.options),
            InteractionsPane(self.options),
            BoardPane(self.options),
        ]
        self.active = 0

    # -- set-up -----------------------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield KpiStrip(flash_s=self.options.flash_s, id="kpis")
        tabs = Tabs(
            *(Tab(f"{p.number} {p.title}", id=f"tab-{p.id}") for p in self.panes), id="tabs"
        )
        tabs.can_focus = False  # it only mirrors the pane shown; keys go to that pane
        yield tabs
        with Container(id="main"):
            yield from self.panes
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        for pane in self.panes:
            if pane.id not in self.options.panes:
                pane.display = False
                self.query_one(Tabs).hide(f"tab-{pane.id}")
        self.active = next((i for i, p in enumerate(self.panes) if p.id in self.options.panes), 0)
        for theme in self._themes.values():
            self.register_theme(theme)
        self.theme = self._theme_key(self._theme_name)
        self._unsubscribe = self.engine.subscribe(self._on_diff)
        self.engine.start()
        self.set_interval(self.options.tick_s, self._tick)
        self.panes[self.active].table.focus()
        self._layout(self.size.width, self.size.height)
        self._watch_terminal()
        self._tick()
        if self.start_wallboard:
            self.push_screen(WallboardScreen(self, self.rotate_s, standalone=True))

    def _theme_key(self, name: str) -> str:
        if name in self._themes:
            return self._themes[name].name
        return name if name in self.available_themes else self._themes[DEFAULT_THEME].name

    async def action_quit(self) -> None:
        # Quit at once: the pollers are cancelled, in-flight requests are not awaited.
        self.exit()

    async def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        await self.engine.stop()

    # -- data in ------------------------------------------------------------------------------
    def _on_diff(self, event: DiffEvent) -> None:
        self._pending.append(event)
        if not self._flush_scheduled and not self.paused:
            self._flush_scheduled = True
            self.set_timer(FLUSH_DELAY_S, self._apply_pending)

    def _apply_pending(self) -> None:
        self._flush_scheduled = False
        # A flush timer can fire while the app shuts down and its widgets are already gone.
        if self.paused or not self._pending or not self.is_running:
            return
        events, self._pending = self._pending, []
        panes = {
            Collection.AGENTS: self.panes[0],
            Collection.QUEUES: self.panes[1],
            Collection.INTERACTIONS: self.panes[3],
        }
        for event in events:
            # The first data of a feed fills the screen; only what changes after it is news.
            slot = (event.collection, event.source)
            highlight = not event.initial and slot in self._filled
            self._filled.add(slot)
            diff = event.diff
            changed = {key: change.new for key, change in diff.changed.items()}
            if event.collection in panes:
                panes[event.collection].table.apply(
                    diff.added, diff.removed.keys(), changed, highlight=highlight
                )
            elif event.collection is Collection.ACTIONS:
                board = self.panes[4]
                assert isinstance(board, BoardPane)
                board.apply(
                    {k: r for k, r in diff.added.items() if isinstance(r, Action)},
                    diff.removed.keys(),
                    {k: r for k, r in changed.items() if isinstance(r, Action)},
                    highlight=highlight,
                )
            elif event.collection is Collection.SLA:
                for key in diff.removed:
                    self._vendor_sla.pop(key, None)
                for key, record in {**diff.added, **changed}.items():
                    assert isinstance(record, Sla)
                    self._vendor_sla[key] = record
            elif event.collection is Collection.PERIODS:
                self._period = current_period(
                    list(self.engine.store.of_type(Collection.PERIODS, Period)), self.engine.now()
                )
        self._refresh_derived()

    def _refresh_derived(self) -> None:
        """Metrics, KPIs, derived columns and titles, after diffs or on the clock."""
        self.metrics = self.engine.metrics(self.options.policy)
        self.panes[1].table.recompute()
        sla = self.panes[2].table
        sla.replace(rows(self.metrics, self._vendor_sla.values()), highlight=sla.live_count > 0)
        self.panes[0].summary = summary(self.metrics.agents_by_state)
        self._check_alerts()
        self._show_kpis()
        for pane in self.panes:
            pane.update_title()
        self._update_title()
        if isinstance(self.screen, WallboardScreen):
            self.screen.update_tiles()

    def _watch_terminal(self) -> None:
        """Exit when the terminal goes away (an SSH drop) instead of spinning on a dead tty.

        A hang-up normally arrives as SIGHUP; when something ignores it (nohup, some tmux and
        mosh set-ups) the tty just starts failing, which the tick notices. SIGTERM quits
        like ``q``."""
        if self.is_headless or sys.__stdin__ is None or not sys.__stdin__.isatty():
            return
        self._tty = sys.__stdin__.fileno()
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._terminal_gone)
            # `kill`, systemd, `tmux kill-session`: leave like `q` does, so the terminal is
            # restored and a --record file is closed complete, not cut off.
            loop.add_signal_handler(signal.SIGTERM, self.exit)

    def _terminal_gone(self) -> None:
        log.info("the terminal went away; exiting")
        self._tty = None
        self.exit()

    def _check_alerts(self) -> None:
        events = self.alerts.evaluate(
            self.metrics,
            self.engine.health(),
            now=self.engine.now(),
            monotonic=self.engine.now().timestamp(),  # recorded time in a replay
        )
        raised = [e for e in events if e.state == "raised"]
        cleared = [e for e in events if e.state == "cleared"]
        quiet = isinstance(self.screen, WallboardScreen)  # its tiles say ALERT already
        if raised and self.options.alerts.bell:
            self.bell()
        if raised and not quiet:  # one toast for what arrives together, not a stack of them
            self.notify(
                "\n".join(e.message for e in raised),
                title="Alert",
                severity="error",
                timeout=6,
                markup=False,
            )
        if cleared and not quiet:
            self.notify(
                "\n".join(e.message for e in cleared),
                title="Alert cleared",
                timeout=4,
                markup=False,
            )
        command = self.options.alerts.command
        if command is not None:
            for event in events:
                self.run_worker(
                    run_alert_command(command.get_secret_value(), event), exit_on_error=False
                )

    def _show_kpis(self) -> None:
        self.query_one(KpiStrip).show(
            kpis(self.metrics, self.options, self.options.wall()), alerting=self._alerting()
        )

    def _alerting(self) -> set[str]:
        return {KPI_OF_RULE[name] for name in self.alerts.active if name in KPI_OF_RULE}

    def _tick(self) -> None:
        if not self.is_running:  # shutting down: the widgets may be gone
            return
        if self._tty is not None:
            try:
                termios.tcgetattr(self._tty)
            except (termios.error, OSError):
                self._terminal_gone()
                return
        if NAIVE_REDRAW:
            self.screen.refresh(repaint=True)
        if not self.paused:
            for pane in self.panes:
                pane.table.tick()
            board = self.panes[4]
            assert isinstance(board, BoardPane)
            board.tick()
        self._update_title()
        if not self.paused:
            self._check_alerts()
            self._show_kpis()  # the longest wait grows between polls; arrows fade
        self.query_one(StatusBar).show(self.engine.health(), paused=self.paused)

    def _update_title(self) -> None:
        parts = ["ccmon", __version__]
        if self.demo:
            parts.append("DEMO (simulated contact center)")
        if self._period is not None:
            parts.append(f"period {self._period.name}")
        title = " · ".join(parts)
        if title != self._title:
            self._title = title
            self.query_one("#title", Static).update(title, layout=False)

    # -- layout --------------------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width, event.size.height)

    @property
    def main_screen(self) -> Screen[object]:
        """The panes' screen, under any help, detail or wallboard screen shown over it."""
        return self.screen_stack[0]

    def _layout(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        self.main_screen.set_class(compact, "-compact")
        self._show_active()

    def _show_active(self) -> None:
        for index, pane in enumerate(self.panes):
            pane.set_class(index == self.active, "-active")
        tabs = self.query_one(Tabs)
        tab_id = f"tab-{self.panes[self.active].id}"
        if tabs.active != tab_id:
            tabs.active = tab_id

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is None:
            return
        for index, pane in enumerate(self.panes):
            if event.tab.id == f"tab-{pane.id}" and index != self.active:
                self.action_show_pane(index + 1)

    def on_descendant_focus(self) -> None:
        focused = self.focused
        for index, pane in enumerate(self.panes):
            if focused is not None and pane in focused.ancestors_with_self:
                if index != self.active:
                    self.active = index
                    self._show_active()
                return

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Pause / resume the display", "Polling continues (p)", self.action_pause
        )
        yield SystemCommand(
            "Refresh now", "Every feed, within the rate limit (r)", self.action_refresh
        )
        yield SystemCommand("Wallboard", "Big numbers for a wall screen (w)", self.action_wallboard)
        yield SystemCommand("Zoom the current pane", "Again to go back (z)", self.action_zoom)
        yield SystemCommand("Next theme", "dark, light, ansi, mono … (t)", self.action_next_theme)
        for number, pane in enumerate(self.panes, start=1):
            yield SystemCommand(
                f"Show {pane.title}",
                f"Pane {number} ({number})",
                partial(self.action_show_pane, number),
            )

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        from ccmon.ui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(self, event.record))

    # -- actions -------------------------------------------------------------------------------
    def action_show_pane(self, number: int) -> None:
        if self.panes[number - 1].id not in self.options.panes:
            self.notify(f"{self.panes[number - 1].title} is not shown ([ui] panes)", timeout=3)
            return
        self.active = number - 1
        self._show_active()
        self.panes[self.active].table.focus()

    def action_cycle_pane(self, step: int) -> None:
        main = self.main_screen
        if self.screen is not main or not (main.has_class("-compact") or main.has_class("-zoomed")):
            # Every pane is on screen: move the focus (through the board's lanes too).
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        shown = [i for i, pane in enumerate(self.panes) if pane.id in self.options.panes]
        if self.active not in shown:
            return
        following = shown[(shown.index(self.active) + step) % len(shown)]
        self.action_show_pane(following + 1)

    def action_zoom(self) -> None:
        self.main_screen.toggle_class("-zoomed")

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused:
            self._apply_pending()
        self._tick()

    def action_refresh(self) -> None:
        self.engine.refresh_now()
        self.notify("Refreshing every feed now (within the rate limit)", timeout=2)

    def action_next_theme(self) -> None:
        names = sorted(self._themes)
        current = next((n for n, t in self._themes.items() if t.name == self.theme), names[0])
        following = names[(names.index(current) + 1) % len(names)]
        self.theme = self._themes[following].name
        self.notify(f"Theme: {following}", timeout=2)

    def action_export(self) -> None:
        """Write the current pane as shown (filter and sort applied) to a CSV file here."""
        pane = self.panes[self.active]
        records = pane.table.ordered_records()
        if not records:
            self.notify(f"{pane.title}: nothing to export", timeout=3)
            return
        if self.options.mask_pii:
            records = [masked_record(r) if isinstance(r, Interaction) else r for r in records]
        stamp = datetime.fromtimestamp(self.options.wall()).strftime("%Y%m%d-%H%M%S")
        text = records_csv(records, type(records[0]))
        path = Path.cwd() / f"ccmon-{pane.id}-{stamp}.csv"
        try:  # readable by the user alone (caller numbers, names), never over an earlier one
            path, fd = open_private_unique(path)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as exc:
            self.notify(f"could not write {path}: {exc.strerror}", severity="error")
            return
        self.notify(f"{len(records)} rows of {pane.title} written to {path}", timeout=5)

    def action_help(self) -> None:
        from ccmon.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_keys))

    def action_wallboard(self) -> None:
        self.push_screen(WallboardScreen(self, self.rotate_s))
