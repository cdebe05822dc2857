"""Panes are found by what they are, not by where they stand; each names what it shows."""

from __future__ import annotations

import pytest

from ccmon.domain import Collection
from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import ALL_PANES, PaneName
from ccmon.ui.panes.actions import BoardPane
from ccmon.ui.panes.agents import AgentsPane
from ccmon.ui.panes.interactions import InteractionsPane
from ccmon.ui.panes.queues import QueuesPane
from ccmon.ui.panes.sla import SlaPane
from ccmon.ui.widgets.pane import Pane


def test_each_pane_is_found_by_its_panes_option_name_and_by_its_type(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    kinds: dict[PaneName, type[Pane]] = {
        "agents": AgentsPane,
        "queues": QueuesPane,
        "sla": SlaPane,
        "interactions": InteractionsPane,
        "board": BoardPane,
    }
    assert set(kinds) == set(ALL_PANES)
    for name, kind in kinds.items():
        pane = app.pane(name)
        assert isinstance(pane, kind)
        assert app.pane(kind) is pane
    with pytest.raises(KeyError):
        app.pane("wallboard")  # type: ignore[call-overload]


def test_every_collection_but_the_periods_has_a_pane_that_takes_its_diffs(
    floor: StillFloor,
) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    shown = {collection for pane in app.panes for collection in pane.collections}
    assert shown == set(Collection) - {Collection.PERIODS}  # periods name the title's period
