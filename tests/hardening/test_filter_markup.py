"""Typing markup into a pane's filter box must not crash the app.

The pane's border title shows the filter (``/text/``) and Textual parses a ``str`` title
as markup: typing ``[/`` (or any bracket text that is not valid markup) raised MarkupError
and the whole app quit with a traceback; valid markup such as ``[reverse]`` restyled the
title. The title is now plain text.
"""

from __future__ import annotations

from ccmon.engine.engine import Engine
from ccmon.ui.app import CcmonApp


async def test_brackets_in_the_filter_are_shown_as_typed() -> None:
    app = CcmonApp(Engine([]))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", *"[/]", *"[reverse]x")
        await pilot.pause()
        assert app.is_running
        assert app.pane("agents").table.filter_text == "[/][reverse]x"
        rendered = app.pane("agents").render_str(app.pane("agents").border_title or "").plain
        assert "/[/][reverse]x/" in rendered
