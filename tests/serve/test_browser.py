"""``ccmon serve``'s wallboard page in a real headless Chromium, over the simulator."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError

from ccmon.domain import Agent, AgentState, Collection, Queue
from ccmon.engine.engine import Engine
from ccmon.sim.runner import SimServer
from ccmon.ui import format as fmt
from tests.support.browser import chromium
from tests.support.serving import Serving, serving
from tests.support.sim import UNTHROTTLED, sim_now, sim_sources
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and "ERR_CONNECTION_REFUSED" not in message.text:
            problems.append(f"console: {message.text}")

    opened.on("console", console)
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    # A CSP violation or a script error shows here: the page must not need either.
    assert problems == []
    # Nothing from another origin (no CDN, no web font): a TV on a closed network.
    assert all(url.startswith("http://127.0.0.1:") for url in requested), requested


def until(page: Page, script: str, arg: Any = None, timeout_s: float = 10.0) -> None:
    """Until ``script`` (a function expression) is true in the page. Polled from here: the
    page's CSP forbids the eval that playwright's own wait_for_function needs."""
    deadline = time.monotonic() + timeout_s
    while not _evaluate(page, script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s in the page: {script}")
        time.sleep(0.1)


def _evaluate(page: Page, script: str, arg: Any) -> Any:
    try:
        return page.evaluate(script, arg)
    except PlaywrightError as error:  # the page navigated (reloaded) meanwhile: ask again
        if "context was destroyed" not in error.message:
            raise
        return False


def until_title(page: Page, text: str, timeout_s: float = 10.0) -> None:
    # Null-safe: right after a reload the page may not have its title element yet.
    script = "t => (document.querySelector('#title')?.textContent ?? '').includes(t)"
    until(page, script, text, timeout_s)


def tiles(page: Page) -> list[dict[str, str]]:
    found: list[dict[str, str]] = page.eval_on_selector_all(
        "#tiles .tile:not([hidden])",
        """els => els.map(el => ({
            label: el.querySelector('.label').textContent,
            value: el.querySelector('.value').textContent,
            level: el.querySelector('.level').textContent,
            classes: el.className,
        }))""",
    )
    return found


def tile(page: Page, label: str) -> dict[str, str]:
    return next(t for t in tiles(page) if t["label"] == label)


def loaded(served: Serving) -> bool:
    engine = served.engine
    return all(h.health.value == "ok" for h in engine.health()) and bool(
        engine.store.count(Collection.QUEUES) and engine.store.count(Collection.AGENTS)
    )


def waiting(engine: Engine) -> int:
    return sum(q.in_queue for q in engine.records(Collection.QUEUES, Queue))


def available(engine: Engine) -> int:
    agents = engine.records(Collection.AGENTS, Agent)
    return sum(1 for a in agents if a.state is AgentState.AVAILABLE)


def test_the_page_shows_the_simulators_floor(
    served: Serving, open_sim: SimServer, page: Page
) -> None:
    wait_until(lambda: loaded(served), "every source ok with agents and queues")
    open_sim.clock.set_speed(0)  # the world stands still: the numbers can be compared
    page.goto(served.url + "/")
    until_title(page, "Floor")
    metrics = served.engine.metrics()

    def shows_the_floor() -> bool:
        shown = {t["label"]: t["value"] for t in tiles(page)}
        return shown.get("Waiting") == fmt.count(metrics.waiting) and shown.get(
            "Available"
        ) == fmt.count(available(served.engine))

    wait_until(shows_the_floor, "Waiting and Available as the floor holds them", within=10)
    shown = tiles(page)
    assert len(shown) == 7  # service level is the headline, two tiles wide, on four columns
    assert shown[0]["label"].startswith("Service level % (target ")
    assert "headline" in shown[0]["classes"]
    columns = page.eval_on_selector("#tiles", "e => getComputedStyle(e).gridTemplateColumns")
    assert len(columns.split()) == 4
    short = next(t for t in shown if t["label"] == "Agents short")
    assert short["value"].isdigit() or short["value"] == fmt.DASH
    words = {t["level"].rpartition(" · ")[2] for t in shown}
    assert words <= {"OK", "WARN", "ALERT", "NO DATA", "FORECAST", "NO FORECAST", ""}
    assert words & {"OK", "WARN", "ALERT"}
    for t in shown:  # the level's word and its colour class agree
        for word, level in (("OK", "good"), ("WARN", "warn"), ("ALERT", "bad")):
            if t["level"].endswith(word):
                assert level in t["classes"].split(), t
    sources = page.eval_on_selector_all("#sources span", "els => els.map(e => e.textContent)")
    assert sources == ["● CCAI OK", "● ALO OK", "● EVO OK"]
    page.goto(served.url + "/?page=1")
    until_title(page, "Queues")
    assert len(tiles(page)) == 6


def test_a_change_reaches_the_page_within_3_s(
    served: Serving, open_sim: SimServer, page: Page
) -> None:
    wait_until(lambda: loaded(served), "every source ok with agents and queues")
    open_sim.clock.set_speed(0)
    page.goto(served.url + "/")
    until_title(page, "Floor")

    def shown() -> tuple[str, str]:
        return fmt.count(waiting(served.engine)), fmt.count(available(served.engine))

    before = shown()
    wait_until(
        lambda: (tile(page, "Waiting")["value"], tile(page, "Available")["value"]) == before,
        "the floor shown",
    )
    while shown() == before:  # move the world on until the floor changes
        open_sim.clock.advance(120)
        for _ in range(10):
            time.sleep(0.1)
            if shown() != before:
                break
    now = shown()  # the floor changed now: on the page within 3 s
    until(
        page,
        """([waiting, available]) => {
            const value = label => [...document.querySelectorAll('#tiles .tile')]
                .find(t => t.querySelector('.label').textContent === label)
                .querySelector('.value').textContent;
            return value('Waiting') === waiting && value('Available') === available;
        }""",
        list(now),
        timeout_s=3.0,
    )
    changed = [
        label
        for label, old, new in zip(("Waiting", "Available"), before, now, strict=True)
        if old != new
    ]
    for label in changed:  # highlighted, as on the terminal
        assert "changed" in tile(page, label)["classes"].split()


def _evo_only(sim: SimServer) -> Engine:
    env = {"CCMON_CCAI_ENABLED": "false", "CCMON_ALO_ENABLED": "false", **UNTHROTTLED}
    return Engine(sim_sources(sim, env), now=sim_now(sim))


def test_hostile_names_show_as_text_and_no_script_runs(
    serve_with: Callable[..., Serving], open_sim: SimServer, page: Page
) -> None:
    open_sim.faults.set("evo", "hostile")
    served = serve_with(engine=_evo_only)
    page.goto(served.url + "/?page=1")
    script = "<script>window.__ccmonPwned = 1</script>"
    image = '<img src=x onerror="window.__ccmonPwned = 1">'

    def shows_them() -> bool:
        labels = [t["label"] for t in tiles(page)]
        return f"call · {script}" in labels and f"call · {image}" in labels

    wait_until(shows_them, "the hostile queue names as their characters", within=20)
    assert page.evaluate("() => window.__ccmonPwned") is None
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => document.querySelectorAll('script').length") == 1  # our own
    assert page.evaluate("() => document.querySelectorAll('#tiles a').length") == 0
    assert "[bold red]x[/]" in [t["label"].partition(" · ")[2] for t in tiles(page)]


def test_the_page_recovers_after_serve_restarts(open_sim: SimServer, page: Page) -> None:
    with serving(open_sim) as first:
        port = first.port
        wait_until(lambda: loaded(first), "every source ok")
        page.goto(first.url + "/")
        until_title(page, "Floor")
        assert page.is_hidden("#stale")
    page.wait_for_selector("#stale", state="visible", timeout=15_000)
    assert "STALE" in (page.text_content("#stale") or "")
    assert "old" in (page.text_content("#stale") or "")  # with the data's age
    until(page, "() => document.querySelectorAll('#tiles .tile.stale').length > 0")
    words = [t["level"].rpartition(" · ")[2] for t in tiles(page) if t["label"]]
    assert set(words) <= {"STALE", "NO DATA"}  # an old figure says neither OK nor ALERT
    with serving(open_sim, port=port):
        page.wait_for_selector("#stale", state="hidden", timeout=20_000)
        until_title(page, "Floor")


def test_stale_banner_when_the_sources_are_cut(
    served: Serving, open_sim: SimServer, page: Page
) -> None:
    wait_until(lambda: loaded(served), "every source ok")
    page.goto(served.url + "/")
    until_title(page, "Floor")
    assert page.is_hidden("#banner")
    for vendor in ("ccai", "alo", "evo"):
        open_sim.faults.set(vendor, "down")
    page.wait_for_selector("#banner", state="visible", timeout=40_000)
    until(
        page,
        "() => document.querySelector('#banner').textContent.includes('CCAI UNREACHABLE')",
        timeout_s=40.0,
    )
    assert "DATA" in (page.text_content("#banner") or "")  # each source's data age, or NO DATA
    levels = [t["level"] for t in tiles(page) if t["label"]]
    assert any(level.endswith("STALE") for level in levels)


def test_rotation_and_themes(served: Serving, page: Page) -> None:
    wait_until(lambda: loaded(served), "every source ok")
    page.goto(served.url + "/?rotate=1&theme=light")
    until_title(page, "Floor")
    until_title(page, "Queues", timeout_s=5)
    until_title(page, "Action board", timeout_s=5)
    # The light theme file's background (#FAFAFA), as the terminal's light theme.
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(250, 250, 250)"
    page.goto(served.url + "/?theme=dark")
    until_title(page, "Floor")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(16, 20, 24)"  # dark.toml's #101418


def test_the_page_reloads_after_60_s_without_news(served: Serving, page: Page) -> None:
    wait_until(lambda: loaded(served), "every source ok")
    page.clock.install()
    page.goto(served.url + "/")
    until_title(page, "Floor")
    page.evaluate("() => { window.__before = true; }")
    # The clock jumps: nothing arrived in between, as if the stream froze for that long.
    page.clock.fast_forward(59_000)
    time.sleep(1.5)
    assert page.evaluate("() => window.__before") is True  # 59 s: not yet
    page.clock.fast_forward(61_000)
    until(page, "() => window.__before === undefined", timeout_s=10)  # reloaded
    until_title(page, "Floor")


def test_a_tv_url_with_the_token(serve_with: Callable[..., Serving], page: Page) -> None:
    token = "tv-wall-token-0123456789"
    served = serve_with(token=token)
    wait_until(lambda: loaded(served), "every source ok")
    page.goto(f"{served.url}/?token={token}&rotate=20")
    until_title(page, "Floor")  # the page's streams carry the token from its URL
    assert tile(page, "Waiting")["value"] != ""


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4K"])
def test_every_number_fits_its_tile_on_a_tv(
    served: Serving, browser: Browser, size: tuple[int, int]
) -> None:
    wait_until(lambda: loaded(served), "every source ok")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        tv = context.new_page()
        for page_index, name in enumerate(("Floor", "Queues", "Action board")):
            tv.goto(f"{served.url}/?page={page_index}")
            until_title(tv, name)
            until(tv, "() => document.querySelector('.tile .value').textContent !== ''")
            fits = tv.eval_on_selector_all(
                "#tiles .tile:not([hidden]):not(.blank) .value",
                """els => els.map(el => ({
                    text: el.textContent,
                    fits: el.scrollWidth <= el.clientWidth,
                    px: parseFloat(getComputedStyle(el).fontSize),
                }))""",
            )
            assert fits, name
            for value in fits:
                assert value["fits"], (name, value)  # never cut: a number must read whole
                assert value["px"] >= size[1] / 8, (name, value)  # big enough across a room
    finally:
        context.close()
