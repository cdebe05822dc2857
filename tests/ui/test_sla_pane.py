"""The service-level pane: the vendor's figure, ours over 60 minutes, ours over the last 15."""

from __future__ import annotations

from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.panes.sla import SlaRow
from ccmon.ui.widgets.record_table import RecordTable
from tests.support.waiting import wait_for


async def test_the_last_15_minutes_stand_beside_the_hour(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table: RecordTable[SlaRow] = app.query_one("#sla-table", RecordTable)
        await wait_for(pilot, lambda: table.live_count > 0)
        header = "".join(segment.text for segment in table.render_line(0))
        assert "Ours" in header
        assert "Last 15m" in header
        queues = app.engine.metrics(app.options.policy).queues.values()
        shown = {}
        for qm in queues:
            q = qm.queue
            key = f"{q.source}:queue:{q.channel}:{q.name}"
            shown[key] = (table.cell_text(key, "computed"), table.cell_text(key, "recent"))
            assert shown[key][1] == fmt.percent(qm.recent_sl_pct)
        # The tests' floor opens in a rush: the last 15 minutes are worse than the hour.
        assert any(hour != recent and recent != "—" for hour, recent in shown.values()), shown
