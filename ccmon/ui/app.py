"""``CcmonApp``: the live monitor. It owns no network code: the engine's pollers run as tasks in
the app's event loop and hand over diffs; the app applies them in batches and runs one timer
that ticks clocks, expires highlights and refreshes the status bar."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar, TypeVar, overload

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs

from ccmon.domain import Agent, Collection, Period
from ccmon.domain.periods import current_period
from ccmon.engine.alerts import AlertMonitor
from ccmon.engine.events import DiffEvent
from ccmon.engine.floor import Floor
from ccmon.engine.forecast import QueueForecast, forecast_floor
from ccmon.engine.metrics import FloorMetrics
from ccmon.history.view import history_loads
from ccmon.ui import partial_updates
from ccmon.ui.alert_effects import AlertEffects
from ccmon.ui.options import PaneName, UiOptions
from ccmon.ui.panes.actions import BoardPane
from ccmon.ui.panes.agents import AgentsPane
from ccmon.ui.panes.interactions import InteractionsPane
from ccmon.ui.panes.queues import QueuesPane
from ccmon.ui.panes.sla import SlaPane
from ccmon.ui.screens.wallboard import WallboardScreen
from ccmon.ui.terminal_watch import TerminalWatch
from ccmon.ui.themes import DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes, terminal_theme
from ccmon.ui.widgets.header import header_line
from ccmon.ui.widgets.kpis import KpiStrip, kpis
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import RecordTable
from ccmon.ui.widgets.status_bar import StatusBar

partial_updates.install()

COMPACT_WIDTH = 120
COMPACT_HEIGHT = 32
NAIVE_REDRAW = bool(os.environ.get("CCMON_NAIVE_REDRAW"))
"""Benchmarks only: repaint the whole screen every tick, as a redraw-everything tool would."""
FLUSH_DELAY_S = 0.1
"""Diffs arriving within this long are applied together (one repaint, not one per feed)."""


P = TypeVar("P", bound=Pane)


class CcmonApp(App[None]):
    TITLE = "ccmon"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("f10", "quit", "Quit", show=False, priority=True),  # as in htop
        # As htop and k9s do, over Textual's own "press ctrl+q to quit" and its copy key.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
        Binding("p,space", "pause", "Pause"),
        Binding("r", "refresh", "Refresh"),
        Binding("z", "zoom", "Zoom"),
        Binding("Z", "zoom(True)", "Zoom without KPIs", show=False),
        # Over Textual's own focus cycling (a screen binding), so that on a compact screen,
        # where one pane shows, tab turns to the next pane rather than to the tab strip.
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True),
        Binding("w", "wallboard", "Wallboard"),
        Binding("t", "next_theme", "Theme", show=False),
        Binding("e", "export", "Export CSV", show=False),
        Binding("a", "alerts", "Alerts", show=False),
        Binding("i", "intraday", "Intraday", show=False),
        *(Binding(str(n), f"show_pane({n})", f"Pane {n}", show=False) for n in range(1, 6)),
    ]

    help_keys: ClassVar[list[tuple[str, str]]] = []
    """Keys a subclass adds, listed after the app's own in ``?`` help."""

    def __init__(
        self,
        engine: Floor,
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
        self._theme_name = terminal_theme(theme)
        self.demo = demo
        self.start_wallboard = wallboard
        self.rotate_s = rotate_s
        self.metrics: FloorMetrics | None = None
        self.forecasts: dict[str, QueueForecast] = {}
        """Each queue's forecast, by key, computed with :attr:`metrics`."""
        self.paused = False
        self._pending: list[DiffEvent] = []
        self._flush_scheduled = False
        self._filled: set[tuple[Collection, str]] = set()
        self._title = ""
        self.alerts = AlertMonitor(self.options.alerts)
        self.alert_effects = AlertEffects(
            self.alerts,
            self.options.alerts,
            bell=lambda: self.bell(),  # looked up when it rings: a test replaces it
            run=lambda work: self.run_worker(work, exit_on_error=False),
            wall=self.options.wall,
        )
        self._terminal = TerminalWatch(self.exit)
        self._all_loaded = False
        self._metrics_loaded: frozenset[Collection] | None = frozenset()
        self._period: Period | None = None
        self._unsubscribe: Any = None
        self.panes: list[Pane] = [
            AgentsPane(self.options),
            QueuesPane(self.options),
            SlaPane(self.options),
            InteractionsPane(self.options),
            BoardPane(self.options),
        ]
        """In tab order: keys 1-5 show them. Look one up by what it is with :meth:`pane`."""
        self.active = 0

    @overload
    def pane(self, which: PaneName) -> Pane: ...
    @overload
    def pane(self, which: type[P]) -> P: ...
    def pane(self, which: PaneName | type[P]) -> Pane | P:
        """The pane of that name ("agents", as ``[ui] panes`` says) or of that type."""
        for pane in self.panes:
            if pane.id == which if isinstance(which, str) else isinstance(pane, which):
                return pane
        raise KeyError(which)

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
        self.panes[self.active].focus_target().focus()
        self._layout(self.size.width, self.size.height)
        self._terminal.start(headless=self.is_headless)
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
        for event in events:
            self._apply(event)
        self._refresh_derived()

    def _apply(self, event: DiffEvent) -> None:
        """One diff to the panes that show its collection (and the period in the title)."""
        # The first data of a feed fills the screen; only what changes after it is news.
        slot = (event.collection, event.source)
        highlight = not event.initial and slot in self._filled
        self._filled.add(slot)
        for pane in self.panes:
            if event.collection in pane.collections:
                pane.apply_diff(event.collection, event.diff, highlight=highlight)
        if event.collection is Collection.PERIODS:
            self._period = current_period(
                list(self.engine.records(Collection.PERIODS, Period)), self.engine.now()
            )

    def _refresh_derived(self) -> None:
        """Metrics, KPIs, derived columns and titles, after diffs or on the clock."""
        self.metrics = self.engine.metrics(self.options.policy)
        # What had loaded when these figures were computed: a feed finishing after this
        # must not make alerts trust figures computed before it.
        self._metrics_loaded = self._loaded()
        self.forecasts = forecast_floor(
            self.metrics,
            self.engine.records(Collection.AGENTS, Agent),
            history_loads(self.engine, self.metrics),
        )
        self.pane(QueuesPane).show_forecasts(self.forecasts)
        for pane in self.panes:
            pane.show_metrics(self.metrics)
        self._check_alerts()
        self._show_kpis()
        for pane in self.panes:
            pane.update_title()
        self._update_title()
        if isinstance(self.screen, WallboardScreen):
            self.screen.update_tiles()

    def _loaded(self) -> frozenset[Collection] | None:
        """The collections every feed of which has answered or failed once (None: all).
        Until then their figures are partial and no alert is raised from them."""
        if self._all_loaded:
            return None
        pending = self.engine.pending()
        self._all_loaded = not pending
        return None if self._all_loaded else frozenset(Collection) - pending

    def _check_alerts(self) -> None:
        changed = self.alert_effects.check(
            self.metrics, self.engine.health(), now=self.engine.now(), loaded=self._metrics_loaded
        )
        if changed:
            self._update_title()

    def _show_kpis(self) -> None:
        self.query_one(KpiStrip).show(
            kpis(self.metrics, self.options, self.options.wall()),
            alerting=self.alert_effects.marked_kpis(),
        )

    def _tick(self) -> None:
        if not self.is_running:  # shutting down: the widgets may be gone
            return
        if self._terminal.gone():
            return
        if NAIVE_REDRAW:
            self.screen.refresh(repaint=True)
        if not self.paused:
            for pane in self.panes:
                pane.tick()
        self._update_title()
        if not self.paused:
            self._check_alerts()
            self._show_kpis()  # the longest wait grows between polls; arrows fade
        bar = self.query_one(StatusBar)
        origin = self.engine.origin()
        if origin is not None:
            bar.label = origin
        bar.show(self.engine.health(), paused=self.paused)

    def _update_title(self) -> None:
        now = self.options.wall()
        title = header_line(
            max(0, self.size.width - 2),
            now=now,
            ages=[h.age_s for h in self.engine.health() if h.age_s is not None],
            alert=self.alert_effects.words(now),
            period=None if self._period is None else self._period.name,
            demo=self.demo,
        )
        if title.plain != self._title:
            self._title = title.plain
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
        """ccmon's own actions and themes only: Textual's (its ~20 themes, which leave ccmon's
        colours half applied, Keys, Maximize, Screenshot) duplicate or contradict them."""
        yield SystemCommand(
            "Alerts", "Active now and since when; today's history (a)", self.action_alerts
        )
        yield SystemCommand(
            "Pause / resume the display", "Polling continues (p)", self.action_pause
        )
        yield SystemCommand(
            "Refresh now", "Every feed, within the rate limit (r)", self.action_refresh
        )
        yield SystemCommand(
            "Intraday", "Today's intervals: floor, or the selected queue (i)", self.action_intraday
        )
        yield SystemCommand("Wallboard", "Big numbers for a wall screen (w)", self.action_wallboard)
        yield SystemCommand("Zoom the current pane", "Again to go back (z)", self.action_zoom)
        yield SystemCommand(
            "Export the current pane as shown", "Its columns, to a CSV file (e)", self.action_export
        )
        yield SystemCommand(
            "Export the current pane's records",
            "Their own fields, as snapshot --raw prints them",
            partial(self.action_export, True),
        )
        for number, pane in enumerate(self.panes, start=1):
            yield SystemCommand(
                f"Show {pane.title}",
                f"Pane {number} ({number})",
                partial(self.action_show_pane, number),
            )
        yield SystemCommand(
            "Next theme", f"{', '.join(sorted(self._themes))} (t)", self.action_next_theme
        )
        for name in sorted(self._themes):
            yield SystemCommand(
                f"Theme: {name}", "ccmon colour theme", partial(self.use_theme, name)
            )
        yield SystemCommand("Help", "Every key (?)", self.action_help)
        yield SystemCommand("Quit", "At once (q)", self.action_quit)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        from ccmon.ui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(self, event.record, table=event.table, key=event.key))

    # -- actions -------------------------------------------------------------------------------
    def action_show_pane(self, number: int) -> None:
        if self.panes[number - 1].id not in self.options.panes:
            self.notify(f"{self.panes[number - 1].title} is not shown ([ui] panes)", timeout=3)
            return
        self.active = number - 1
        self._show_active()
        self.panes[self.active].focus_target().focus()

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

    def action_zoom(self, bare: bool = False) -> None:
        """The current pane alone; the KPI strip stays unless ``bare`` (Z). Again goes back."""
        main = self.main_screen
        if main.has_class("-zoomed") and main.has_class("-bare") == bare:
            main.remove_class("-zoomed", "-bare")
        else:
            main.add_class("-zoomed")
            main.set_class(bare, "-bare")

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
        self.use_theme(names[(names.index(current) + 1) % len(names)])

    def use_theme(self, name: str) -> None:
        self.theme = self._themes[name].name
        self.notify(f"Theme: {name}", timeout=2)

    def action_export(self, raw: bool = False) -> None:
        """The current pane to a CSV file: as shown, or ``raw`` its records' own fields."""
        from ccmon.ui.pane_export import export_pane

        notice = export_pane(self.panes[self.active], self.options, raw=raw)
        self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)

    def action_help(self) -> None:
        from ccmon.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_keys))

    def action_alerts(self) -> None:
        from ccmon.ui.screens.alerts import AlertsScreen

        self.push_screen(AlertsScreen(self))

    def action_intraday(self) -> None:
        from ccmon.ui.screens.intraday import IntradayScreen, selected_queue

        self.push_screen(IntradayScreen(self, selected_queue(self)))

    def action_wallboard(self) -> None:
        self.push_screen(WallboardScreen(self, self.rotate_s))
