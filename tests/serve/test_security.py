"""``ccmon serve`` is read-only, asks for its token when it has one, sends its security
headers, answers no cross-origin request, and never writes the token anywhere."""

from __future__ import annotations

import logging
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from ccmon.cli import main
from ccmon.serve.security import CSP, token_matches
from ccmon.sim.runner import SimServer
from tests.support.serving import Serving, bound_socket, serve_process
from tests.support.waiting import wait_until

TOKEN = "tv-wall-token-0123456789"


def test_token_missing_wrong_right(
    serve_with: Callable[..., Serving], caplog: pytest.LogCaptureFixture
) -> None:
    for logger in ("ccmon", "uvicorn", "uvicorn.error", "uvicorn.access"):
        caplog.set_level(logging.DEBUG, logger=logger)
    served = serve_with(token=TOKEN)
    for path in ("/", "/api/snapshot", "/api/board", "/healthz", "/metrics"):
        assert httpx.get(f"{served.url}{path}", timeout=10).status_code == 401, path
        wrong = {"Authorization": "Bearer not-the-token"}
        assert httpx.get(f"{served.url}{path}", headers=wrong, timeout=10).status_code == 401
        bad_query = httpx.get(f"{served.url}{path}?token=nope", timeout=10)
        assert bad_query.status_code == 401
    answer = httpx.get(f"{served.url}/api/snapshot", timeout=10)
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in answer.text
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.get(f"{served.url}/api/snapshot", headers=right, timeout=10).status_code == 200
    assert httpx.get(f"{served.url}/metrics?token={TOKEN}", timeout=10).status_code == 200
    assert httpx.get(f"{served.url}/?token={TOKEN}", timeout=10).status_code == 200
    # The page's own code and style carry no floor data: a TV loads them without the token.
    assert httpx.get(f"{served.url}/static/wallboard.js", timeout=10).status_code == 200
    ours = [r for r in caplog.records if r.name.startswith(("ccmon", "uvicorn"))]
    assert not any(TOKEN in r.getMessage() for r in ours)


def test_constant_time_compare_is_exact() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN, TOKEN[:-1])
    assert not token_matches(TOKEN, TOKEN + "x")
    assert not token_matches(TOKEN, None)
    assert not token_matches(TOKEN, "")


def test_read_only_headers_and_no_cors(served: Serving) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        answer = httpx.request(method, f"{served.url}/api/snapshot", timeout=10)
        assert answer.status_code == 405, method
        assert answer.headers["allow"] == "GET, HEAD"
    origin = {"Origin": "https://evil.example"}
    for path in ("/", "/api/snapshot", "/healthz", "/metrics", "/static/wallboard.js"):
        answer = httpx.get(f"{served.url}{path}", headers=origin, timeout=10)
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert not any(h.startswith("access-control-") for h in answer.headers), path
    assert "script-src 'self'" in CSP
    assert "'unsafe-inline'" not in CSP
    assert "default-src 'none'" in CSP


def test_other_address_without_token_refuses_to_start(
    sim_env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CCMON_SERVE_TOKEN", raising=False)
    monkeypatch.setenv("CCMON_CONFIG", os.devnull)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 1  # noqa: S104
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "needs a token" in err
    assert "CCMON_SERVE_TOKEN" in err


def test_port_in_use_is_one_line(
    sim_env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_CONFIG", os.devnull)
    taken = bound_socket()
    try:
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_pii_masked_in_api_when_mask_pii(
    serve_with: Callable[..., Serving], open_sim: SimServer
) -> None:
    from ccmon.domain import Collection, Interaction

    served = serve_with(mask_pii=True)
    engine = served.engine
    wait_until(
        lambda: any(i.customer for i in engine.records(Collection.INTERACTIONS, Interaction)),
        "contacts with a customer",
        within=40,
    )
    customers = {i.customer for i in engine.records(Collection.INTERACTIONS, Interaction)}
    text = httpx.get(f"{served.url}/api/snapshot", timeout=10).text
    assert "•••" in text
    assert not any(c and c in text for c in customers)


def test_the_token_reaches_no_output_of_the_serve_command(
    open_sim: SimServer, tmp_path: Path
) -> None:
    """As run: ``ccmon serve`` with its debug log, asked with the token right, wrong, in a
    URL that is not found and in a request uvicorn cannot parse; none of it writes it."""
    log = tmp_path / "ccmon.log"
    env = {**open_sim.env, "CCMON_CONFIG": os.devnull, "CCMON_SERVE_TOKEN": TOKEN}
    flags = ("--log-level", "debug", "--log-file", str(log))
    process, url = serve_process(env, *flags, ready=f"/healthz?token={TOKEN}")
    port = int(url.rsplit(":", 1)[1])
    try:
        assert httpx.get(f"{url}/api/snapshot?token={TOKEN}", timeout=10).status_code == 200
        assert httpx.get(f"{url}/nothing?token={TOKEN}", timeout=10).status_code == 404
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(f"{url}/metrics", headers=bearer, timeout=10).status_code == 200
        wrong = {"Authorization": f"Bearer {TOKEN}x"}
        assert httpx.get(f"{url}/metrics", headers=wrong, timeout=10).status_code == 401
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(f"GET /?token={TOKEN} HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".encode())
            assert raw.recv(100).startswith(b"HTTP/1.1 400")
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "Invalid HTTP request" in err  # uvicorn's own warning is there, without the URL
    written = log.read_text()
    assert "HTTP Request" in written  # the debug log is on: the vendor requests are in it
    assert TOKEN not in out + err + written
