"""The browser wallboard (``ccmon serve``) as PNGs, from the demo floor, frozen.

    python screenshots/browser.py

The same still floor as the terminal screenshots (``generate.py``), served by ``ccmon
serve``'s app on a free loopback port and shot by the system's headless Chromium (see
``tests/system-deps.sh``) at 1920x1080 (a 1080p TV), dark and light.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from ccmon.commands.registry import SOURCE_NAMES
from ccmon.serve.app import Server, create_app
from ccmon.still import still_floor
from tests.support.browser import ARGS, CHROMIUM
from tests.support.serving import bound_socket

HERE = Path(__file__).resolve().parent
SHOTS = [("serve-wallboard", "dark", 0), ("serve-wallboard-queues-light", "light", 1)]


def main() -> None:
    os.environ["TZ"] = "UTC"  # times on screen are local: pin them
    time.tzset()
    floor = still_floor()
    app = create_app(floor.engine(), floor.options(), sources=SOURCE_NAMES)
    server = Server(uvicorn.Config(app, log_level="warning", lifespan="on"), app)
    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for name, theme, page_index in SHOTS:
                page.goto(f"{url}/?theme={theme}&page={page_index}")
                page.wait_for_selector("#tiles .tile .value:not(:empty)")
                time.sleep(4)  # past the change highlight of the first documents
                page.screenshot(path=str(HERE / f"{name}.png"))
                print(f"wrote screenshots/{name}.png")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)


if __name__ == "__main__":
    main()
