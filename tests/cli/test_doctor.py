"""``ccmon doctor`` against the simulator: what works, what to fix, within budget and time."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ccmon import doctor as doctor_checks
from ccmon.sim.faults import Fault, FaultKind
from ccmon.sim.runner import SimServer
from ccmon.sim.vendors import Vendor
from tests.support.cli import Run


def point_at(sim: SimServer, monkeypatch: pytest.MonkeyPatch, **changes: str) -> None:
    for name, value in {**sim.env, **changes}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CCMON_CONFIG", "/dev/null")


def rows(out: str) -> dict[tuple[str, str], str]:
    """(source, check) -> result, from the table."""
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("ccai", "alo", "evo"):
            step = "rate limit" if parts[1] == "rate" else parts[1]
            found[(parts[0], step)] = parts[3] if step == "rate limit" else parts[2]
    return found


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_every_source_works(ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(sim, monkeypatch)
    result = ccmon("doctor")
    assert result.code == 0, result.out
    table = rows(result.out)
    for source in ("ccai", "alo", "evo"):
        for step in ("dns", "tcp/tls", "auth", "request", "rate limit"):
            assert table[(source, step)] == "ok", (source, step, result.out)
    assert "What to fix" not in result.out
    assert "no headers; ccmon paces 1/s" in result.out
    # One request per source, inside the real limits (CCAI: 1 request/second).
    for vendor in Vendor:
        log = sim.request_log(vendor)
        assert len(log) == 1
        assert all(record.status != 429 for record in log)


def test_rejected_credentials_say_what_to_set(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch, CCMON_CCAI_TOKEN="wrong-token-never-shown")
    result = ccmon("doctor")
    assert result.code == 2
    table = rows(result.out)
    assert table[("ccai", "auth")] == "FAIL"
    assert table[("alo", "request")] == "ok"
    assert "credentials rejected" in result.out
    assert "check CCMON_CCAI_USERNAME (the subdomain) and CCMON_CCAI_TOKEN" in result.out
    assert "wrong-token-never-shown" not in result.out + result.err
    assert result.error_line.startswith("ccmon: ccai: auth failed: credentials rejected")


def test_a_closed_port_is_unreachable(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch, CCMON_EVO_BASE_URL=f"http://127.0.0.1:{closed_port()}")
    result = ccmon("doctor")
    assert result.code == 2
    table = rows(result.out)
    assert table[("evo", "dns")] == "ok"
    assert table[("evo", "tcp/tls")] == "FAIL"
    assert ("evo", "request") not in table
    assert "connection refused" in result.out
    assert table[("ccai", "request")] == "ok"
    assert result.error_line.startswith("ccmon: evo: tcp/tls failed:")  # one line, as snapshot


def test_a_host_that_does_not_resolve(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch, CCMON_ALO_BASE_URL="https://alo.ccmon-test.invalid/v1")
    result = ccmon("doctor")
    assert result.code == 2
    assert rows(result.out)[("alo", "dns")] == "FAIL"
    assert "alo.ccmon-test.invalid does not resolve: check alo.base_url" in result.out
    assert "CCMON_ALO_BASE_URL" in result.out


def test_rate_limited_now(
    ccmon: Run, make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = make_sim(faults=((Vendor.ALO, Fault(FaultKind.RATELIMIT)),))
    point_at(sim, monkeypatch)
    result = ccmon("doctor")
    assert result.code == 2
    assert rows(result.out)[("alo", "rate limit")] == "FAIL"
    assert "HTTP 429, Retry-After" in result.out
    assert "if another tool shares it, lower alo.rate" in result.out
    assert len(sim.request_log(Vendor.ALO)) == 2  # one more try after the pause, then it counts


def test_bounded_in_time_whatever_the_source_does(
    ccmon: Run, make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor_checks, "DEADLINE_S", 1.0)
    sim = make_sim(faults=((Vendor.EVO, Fault(FaultKind.SLOW, delay_s=20)),))
    point_at(sim, monkeypatch, CCMON_EVO_TIMEOUT="60")
    started = time.monotonic()
    result = ccmon("doctor")
    assert time.monotonic() - started < 5
    assert result.code == 2
    assert "evo     deadline    FAIL    gave up after 1 s" in result.out


def test_demo(ccmon: Run) -> None:
    result = ccmon("doctor", "--demo")
    assert result.code == 0, result.out
    assert result.out.count(" ok ") >= 15


def test_rate_limit_headers_are_reported() -> None:
    headers = httpx.Headers(
        {"X-RateLimit-Remaining": "59", "Content-Type": "application/json", "Retry-After": "3"}
    )
    assert doctor_checks._rate_headers(headers) == "x-ratelimit-remaining: 59; retry-after: 3"


def test_https_to_a_plain_http_port(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch, CCMON_EVO_BASE_URL=f"https://127.0.0.1:{sim.port(Vendor.EVO)}")
    result = ccmon("doctor")
    assert result.code == 2
    assert rows(result.out)[("evo", "tcp/tls")] == "FAIL"
    assert "failed (WRONG_VERSION_NUMBER): is it an https port?" in result.out


@pytest.fixture
def tls_api(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A one-line HTTPS API with a self-signed certificate: (port, certificate file)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
        b'X-RateLimit-Remaining: 59\r\nConnection: close\r\n\r\n{"periods": []}'
    )
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with contextlib.suppress(OSError), context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(4096)
                tls.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1], cert
    listener.close()


def test_tls_certificate_trust_and_rate_headers(
    ccmon: Run,
    sim: SimServer,
    monkeypatch: pytest.MonkeyPatch,
    tls_api: tuple[int, Path],
) -> None:
    port, cert = tls_api
    point_at(sim, monkeypatch, CCMON_ALO_BASE_URL=f"https://localhost:{port}/v1")
    monkeypatch.delenv("CCMON_CCAI_BASE_URL")
    monkeypatch.delenv("CCMON_EVO_BASE_URL")
    untrusted = ccmon("doctor")
    assert untrusted.code == 2
    assert "the TLS certificate of localhost is not trusted" in untrusted.out

    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # as httpx itself honours it
    trusted = ccmon("doctor")
    assert trusted.code == 0, trusted.out
    assert "TLSv1." in trusted.out
    assert "x-ratelimit-remaining: 59" in trusted.out


def test_an_interval_for_a_feed_that_does_not_exist(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    point_at(sim, monkeypatch)
    config = tmp_path / "config.toml"
    config.write_text("[ccai]\nintervals = { agent_status = 5, agnt_status = 2 }\n")
    monkeypatch.setenv("CCMON_CONFIG", str(config))
    result = ccmon("doctor")
    assert result.code == 1  # refused on start, as by every command
    assert result.error_line.startswith("ccmon: unknown setting ccai.intervals.agnt_status")


PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def set_proxies(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


DIRECT, PROXY = False, True
VIA_P = {"HTTPS_PROXY": "http://p:1"}


@pytest.mark.parametrize(
    ("env", "url", "via_proxy", "first"),
    [
        ({}, "https://acme.ujet.co/manager/api/v1", DIRECT, "acme.ujet.co:443"),
        ({"HTTPS_PROXY": "http://u:pw@corp:3128"}, "https://acme.ujet.co", PROXY, "corp:3128"),
        ({"HTTPS_PROXY": "corp:3128"}, "https://acme.ujet.co", PROXY, "corp:3128"),
        ({"HTTPS_PROXY": "http://corp:3128"}, "http://acme.ujet.co", DIRECT, "acme.ujet.co:80"),
        ({"ALL_PROXY": "http://corp:8080"}, "http://acme.ujet.co", PROXY, "corp:8080"),
        ({**VIA_P, "NO_PROXY": "*"}, "https://a.ujet.co", DIRECT, "a.ujet.co:443"),
        ({**VIA_P, "NO_PROXY": "x,.ujet.co"}, "https://a.ujet.co", DIRECT, "a.ujet.co:443"),
        ({**VIA_P, "NO_PROXY": "ujet.co"}, "https://ujet.co", DIRECT, "ujet.co:443"),
        ({**VIA_P, "NO_PROXY": "ujet.co"}, "https://xujet.co", PROXY, "p:1"),
    ],
)  # fmt: skip
def test_first_hop_follows_the_proxy_environment(
    env: dict[str, str], url: str, via_proxy: bool, first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_proxies(monkeypatch, **env)
    hop = doctor_checks.first_hop("ccai", httpx.URL(url))
    assert (hop.proxy, f"{hop.url.host}:{hop.port}") == (via_proxy, first)


def test_a_dead_proxy_is_named_and_its_password_is_not(
    ccmon: Run, sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(sim, monkeypatch)
    port = closed_port()
    set_proxies(
        monkeypatch, HTTP_PROXY=f"http://jump:proxy-secret@127.0.0.1:{port}", NO_PROXY="alo.invalid"
    )
    result = ccmon("doctor")
    assert result.code == 2
    table = rows(result.out)
    for source in ("ccai", "alo", "evo"):
        assert table[(source, "proxy")] == "ok"
        assert table[(source, "tcp/tls")] == "FAIL"
    assert f"via 127.0.0.1:{port} (HTTP_PROXY)" in result.out
    assert "check the port in HTTP_PROXY" in result.out
    assert "proxy-secret" not in result.out + result.err

    set_proxies(monkeypatch, HTTP_PROXY=f"http://127.0.0.1:{port}", NO_PROXY="127.0.0.1")
    bypassed = ccmon("doctor")
    assert bypassed.code == 0, bypassed.out
    assert ("ccai", "proxy") not in rows(bypassed.out)
