"""One full session with known, distinctive credentials; no output of it may hold them.

The session reads the tokens every way ccmon can (environment, config file,
``token_command``) and then produces every output it has: ``--help``, ``config show``,
``snapshot`` as JSON, table and CSV, ``watch``, ``doctor``, the live screen in a real
terminal with ``--record``, the same screen headless as an SVG screenshot, a crash
traceback as Textual prints it (with local variables), and debug-level log files, while a
source rejects a wrong token and another fails its TLS handshake. Every byte of every
output is then searched for each secret, raw and as it travels (``Basic`` base64 of
``user:token``, ``Bearer <token>``).
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import io
import logging
import logging.handlers
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from ccmon.cli import EXIT_USAGE, main
from ccmon.commands.live import ui_options
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.http import ErrorKind, RateLimiter, SourceClient, SourceError
from ccmon.http.auth import TokenAuth
from ccmon.http.errors import redact, register_secret
from ccmon.logs import remove_logging, setup_logging
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.status_bar import StatusBar
from tests.support.floors import live_engine
from tests.support.sim import running_sim
from tests.support.terminal import ccmon, run_in_pty

CCAI_TOKEN = "ccai-SECRET-7f3a9c41"
ALO_TOKEN = "alo-SECRET-51be2290"
EVO_TOKEN = "evo-SECRET-c0de8e11"
EVO_USERNAME = "supervisor@acme.example"
EVO_PASSWORD = "evopass-SECRET-0b5e77a1"
WRONG_TOKEN = "wrong-SECRET-dead0b0e"
FAST = {
    f"CCMON_{s}_{k}": v
    for s in ("CCAI", "ALO", "EVO")
    for k, v in (("RATE", "50"), ("BURST", "20"))
}


def secrets(username: str) -> dict[str, str]:
    tokens = {
        "ccai": CCAI_TOKEN,
        "alo": ALO_TOKEN,
        "evo": EVO_TOKEN,
        "evo password": EVO_PASSWORD,
        "wrong": WRONG_TOKEN,
    }
    forms = dict(tokens)
    forms["ccai basic"] = base64.b64encode(f"{username}:{CCAI_TOKEN}".encode()).decode()
    forms["evo basic"] = base64.b64encode(f"{EVO_USERNAME}:{EVO_PASSWORD}".encode()).decode()
    forms["wrong basic"] = base64.b64encode(f"{username}:{WRONG_TOKEN}".encode()).decode()
    # Fragments too: a secret cut by a line break or an ellipsis is still a leak.
    for name, token in tokens.items():
        forms[f"{name} tail"] = token.split("-", 1)[1]
    return forms


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with running_sim(
        start=None,
        speed=1.0,
        rate_limit=False,
        ccai_token=CCAI_TOKEN,
        alo_token=ALO_TOKEN,
        evo_token=EVO_TOKEN,
        evo_username=EVO_USERNAME,
        evo_password=EVO_PASSWORD,
    ) as server:
        yield server


class Outputs:
    """Everything the session wrote, by where it went."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def add(self, where: str, text: str) -> None:
        self.texts[where] = self.texts.get(where, "") + text

    def leaks(self, forms: dict[str, str]) -> list[str]:
        return [
            f"{name} in {where}"
            for where, text in self.texts.items()
            for name, secret in forms.items()
            if secret in text
        ]


def write_config(home: Path, sim: SimServer) -> Path:
    """The evo token in the file; alo's from a token_command; ccai's from the environment."""
    script = home / "alo-token.sh"
    script.write_text(f"#!/bin/sh\necho {ALO_TOKEN}\n")
    script.chmod(stat.S_IRWXU)
    config = home / "ccmon.toml"
    config.write_text(
        f'[ccai]\nbase_url = "{sim.base_url("ccai")}"\nusername = "demo"\n'
        f'[alo]\nbase_url = "{sim.base_url("alo")}"\ntoken_command = "{script}"\n'
        f'[evo]\nbase_url = "{sim.base_url("evo")}"\ntoken = "{EVO_TOKEN}"\n'
    )
    config.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return config


def run_cli(
    out: Outputs,
    name: str,
    argv: list[str],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> int:
    with monkeypatch.context() as patch:
        for variable in [v for v in os.environ if v.startswith("CCMON_")]:
            patch.delenv(variable)
        for variable, value in env.items():
            patch.setenv(variable, value)
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # --help
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            remove_logging()
        captured = capsys.readouterr()
    out.add(f"{name} stdout", captured.out)
    out.add(f"{name} stderr", captured.err)
    return code


def read_recording(path: Path) -> str:
    """A recording as text, however far its last compressed block got."""
    data = path.read_bytes()
    try:
        return gzip.decompress(data).decode("utf-8", "replace")
    except (EOFError, OSError, zlib.error):
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data).decode("utf-8", "replace")


async def headless_screen(env: dict[str, str], out: Outputs) -> None:
    """The live screen, its SVG screenshot, then a crash as Textual reports it."""
    settings = load_settings(env=env)
    app = CcmonApp(Engine(build_sources(settings)), ui_options(settings))
    crash: BaseException | None = None
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            for _ in range(200):
                status = str(app.query_one(StatusBar).render())
                if "auth failed" in status and app.pane("agents").table.live_count:
                    break
                await pilot.pause(0.05)
            out.add("screenshot.svg", app.export_screenshot())
            app.call_later(lambda: live_engine(app).sources[0].client.counters.as_dict()["no such"])
            await pilot.pause(0.2)
    except KeyError as exc:
        crash = exc
    assert crash is not None, "the provoked crash did not surface"
    console = Console(file=io.StringIO(), width=160, record=True)
    console.print(
        Traceback.from_exception(type(crash), crash, crash.__traceback__, show_locals=True)
    )
    out.add("crash traceback", console.export_text())


def test_no_secret_in_any_output(
    sim: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = Outputs()
    config = write_config(tmp_path, sim)
    logs = tmp_path / "logs"
    env = {
        "CCMON_CONFIG": str(config),
        "CCMON_CCAI_TOKEN": CCAI_TOKEN,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        **FAST,
    }
    debug = ["--log-level", "debug", "--log-file"]

    def cli(name: str, *argv: str, extra: dict[str, str] | None = None) -> int:
        return run_cli(out, name, list(argv), {**env, **(extra or {})}, monkeypatch, capsys)

    failing = {
        "CCMON_ALO_TOKEN": WRONG_TOKEN,  # rejected by the simulator: 401
        "CCMON_EVO_BASE_URL": sim.base_url("evo").replace("http://", "https://"),  # no TLS there
    }
    # The live screen in a real terminal, recording, with the same failures; it runs while
    # the commands below do.
    recording = tmp_path / "session.ccmon.gz"
    with ThreadPoolExecutor(1) as background:
        terminal = background.submit(
            run_in_pty,
            ccmon("--record", str(recording), *debug, str(logs / "tui.log")),
            {**env, **failing},
            until=lambda screen: b"auth failed" in screen and b"ccai ok" in screen,
            linger=1.0,
        )
        run_commands(cli, debug, logs, failing, out)
        asyncio.run(headless_screen({**env, **failing}, out))
        session = terminal.result(timeout=120)
    assert session.exit_code == 0, session.printed()[-1500:]
    out.add("terminal", session.text)
    out.add("recording", read_recording(recording))

    for log_file in sorted(logs.glob("*.log*")):
        out.add(f"log {log_file.name}", log_file.read_text(encoding="utf-8", errors="replace"))
    # The session really produced what is searched: requests, errors, data.
    assert "HTTP Request: GET" in out.texts["log snapshot-json.log"]
    assert "credentials rejected" in out.texts["log failing.log"]
    assert "credentials rejected" in out.texts["screenshot.svg"].replace("&#160;", " ")
    assert '"kind": "diff"' in out.texts["recording"] or '"kind":"diff"' in out.texts["recording"]
    assert "no such" in out.texts["crash traceback"]

    leaks = out.leaks(secrets(sim.credentials.ccai_username))
    assert not leaks, leaks


def run_commands(
    cli: Callable[..., int], debug: list[str], logs: Path, failing: dict[str, str], out: Outputs
) -> None:
    assert cli("help", "--help") == 0
    assert cli("config show", "config", "show") == 0
    for fmt in ("json", "table"):
        log = str(logs / f"snapshot-{fmt}.log")
        assert cli(f"snapshot {fmt}", "snapshot", "--format", fmt, *debug, log) == 0
    assert (
        cli("csv", "snapshot", "--format", "csv", "--pane", "agents", *debug, str(logs / "csv.log"))
        == 0
    )
    assert cli("watch", "watch", "--duration", "1.5", *debug, str(logs / "watch.log")) == 0
    assert cli("doctor", "doctor", *debug, str(logs / "doctor.log")) == 0
    assert (
        cli("failing snapshot", "snapshot", *debug, str(logs / "failing.log"), extra=failing) == 2
    )
    assert (
        cli("failing doctor", "doctor", *debug, str(logs / "failing-doctor.log"), extra=failing)
        != 0
    )
    assert "credentials rejected" in out.texts["failing snapshot stdout"]
    assert "TLS" in out.texts["failing snapshot stdout"]


# -- tokens with a stray line break (issue #12) ---------------------------------------------
def write_line_break_config(home: Path, sim: SimServer) -> Path:
    """ccai's token in the file with CRLF; evo signs in as a user, its password from a command
    that ends it with CRLF (alo's token, from the environment, ends in CR)."""
    script = home / "evo-password.sh"
    script.write_text(f"#!/bin/sh\nprintf '{EVO_PASSWORD}\\r\\n'\n")
    script.chmod(stat.S_IRWXU)
    config = home / "ccmon.toml"
    config.write_text(
        f'[ccai]\nbase_url = "{sim.base_url("ccai")}"\nusername = "demo"\n'
        f'token = "{CCAI_TOKEN}\\r\\n"\n'
        f'[alo]\nbase_url = "{sim.base_url("alo")}"\n'
        f'[evo]\nbase_url = "{sim.base_url("evo")}"\nusername = "{EVO_USERNAME}"\n'
        f'password_command = "{script}"\n'
    )
    config.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return config


async def status_bar_text(env: dict[str, str]) -> str:
    settings = load_settings(env=env)
    app = CcmonApp(Engine(build_sources(settings)), ui_options(settings))
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(200):
            healths = app.engine.health()
            if all(h.age_s is not None and h.last_error is None for h in healths):
                break
            await pilot.pause(0.05)
        assert [h.health.value for h in healths] == ["ok"] * 3, healths
        return str(app.query_one(StatusBar).render()) + app.export_screenshot()


def test_a_token_ending_in_a_line_break_works_and_is_never_printed(
    sim: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``CCMON_ALO_TOKEN=$'tok\\r'`` used to fail with h11's "Illegal header value
    b'Bearer tok\\r'" printed in the snapshot, the table, the CSV stderr line, doctor, the
    live screen, the recording and the log. Surrounding whitespace is now stripped from a
    token of every origin, so the session works, and nothing prints the token."""
    out = Outputs()
    config = write_line_break_config(tmp_path, sim)
    logs = tmp_path / "logs"
    env = {
        "CCMON_CONFIG": str(config),
        "CCMON_ALO_TOKEN": ALO_TOKEN + "\r",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        **FAST,
    }

    def cli(name: str, *argv: str) -> int:
        log = ["--log-level", "debug", "--log-file", str(logs / f"{name}.log")]
        return run_cli(out, name, [*argv, *log], env, monkeypatch, capsys)

    assert cli("json", "snapshot", "--format", "json") == 0, out.texts
    assert cli("table", "snapshot", "--format", "table") == 0
    assert cli("csv", "snapshot", "--format", "csv", "--pane", "agents") == 0
    assert cli("doctor", "doctor") == 0, out.texts["doctor stdout"]
    recording = tmp_path / "watch.ccmon.gz"
    assert cli("watch", "watch", "--duration", "1.5", "--record", str(recording)) == 0
    out.add("recording", read_recording(recording))
    with monkeypatch.context() as patch:
        for variable in [v for v in os.environ if v.startswith("CCMON_")]:
            patch.delenv(variable)
        out.add("live screen", asyncio.run(status_bar_text(env)))
    for log_file in sorted(logs.glob("*.log")):
        out.add(f"log {log_file.name}", log_file.read_text(encoding="utf-8"))

    assert '"error": null' in out.texts["json stdout"]
    assert '"error": "' not in out.texts["json stdout"], out.texts["json stdout"]
    assert "HTTP Request: GET" in out.texts["log json.log"]
    leaks = out.leaks(secrets(sim.credentials.ccai_username))
    assert not leaks, leaks


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CCMON_ALO_TOKEN", f"alo-SECRET\r{ALO_TOKEN}", "the token contains a line break"),
        ("CCMON_CCAI_TOKEN", f"{CCAI_TOKEN}\n{CCAI_TOKEN}", "the token contains a line break"),
        ("CCMON_EVO_TOKEN", f"{EVO_TOKEN}\x07", "the token contains a control character"),
    ],
)
def test_a_token_with_a_control_character_inside_is_refused_by_name(
    sim: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    expected: str,
) -> None:
    out = Outputs()
    env = {**sim.env, variable: value, "XDG_STATE_HOME": str(tmp_path)}
    assert run_cli(out, "snapshot", ["snapshot"], env, monkeypatch, capsys) == EXIT_USAGE
    line = out.texts["snapshot stderr"]
    assert len(line.strip().splitlines()) == 1, line
    assert variable in line, line
    assert expected in line, line
    assert not out.leaks(secrets(sim.credentials.ccai_username))
    assert "SECRET" not in line


def test_a_token_command_that_prints_a_control_character_is_refused(
    sim: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    script = tmp_path / "alo-token.sh"
    script.write_text(f"#!/bin/sh\nprintf 'alo-\\rSECRET{ALO_TOKEN}\\n'\n")
    script.chmod(stat.S_IRWXU)
    out = Outputs()
    env = {**sim.env, "CCMON_ALO_TOKEN": "", "CCMON_ALO_TOKEN_COMMAND": str(script)}
    assert run_cli(out, "snapshot", ["snapshot"], env, monkeypatch, capsys) == EXIT_USAGE
    line = out.texts["snapshot stderr"]
    assert "alo.token_command printed a token that contains a line break" in line, line
    assert "SECRET" not in line


def test_an_illegal_header_is_reported_without_its_value() -> None:
    """However a header value gets refused by h11, its text (which quotes the value) is not
    what ccmon shows: the message names the problem, the redaction removes any secret."""
    register_secret(ALO_TOKEN)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError(f"Illegal header value b'Bearer {ALO_TOKEN}\\r'")

    async def fetch() -> SourceError:
        client = SourceClient(
            "alo",
            "http://127.0.0.1:9",
            limiter=RateLimiter(100, 10),
            auth=TokenAuth(ALO_TOKEN),
            transport=httpx.MockTransport(refuse),
            auth_hint="check CCMON_ALO_TOKEN",
        )
        async with client:
            with pytest.raises(SourceError) as caught:
                await client.get_json("periods")
        return caught.value

    error = asyncio.run(fetch())
    assert error.kind is ErrorKind.AUTH
    assert "a header holds a character HTTP does not allow" in error.message
    assert ALO_TOKEN not in error.message
    assert "SECRET" not in error.message


def test_every_message_and_log_line_is_redacted(tmp_path: Path) -> None:
    """The belt to those braces: a registered secret is cut from any SourceError and from
    any log line, tracebacks included, whoever wrote it."""
    secret = "evo-SECRET-a11ce5e5"
    register_secret(secret)
    assert secret not in str(SourceError(ErrorKind.SERVER, f"evo: odd reply {secret!r}"))
    log_file = tmp_path / "ccmon.log"
    setup_logging("debug", log_file)
    try:
        logger = logging.getLogger("ccmon.test")
        logger.warning("header was Bearer %s", secret)
        try:
            raise ValueError(f"Illegal header value b'Bearer {secret}\\r'")
        except ValueError:
            logger.exception("crash")
    finally:
        remove_logging()
    text = log_file.read_text(encoding="utf-8")
    assert "header was Bearer ***" in text
    assert "Illegal header value" in text
    assert "SECRET" not in text

    # A short secret is cut where it stands alone, never out of a longer word.
    register_secret("tokq")
    assert redact("b'Bearer tokq\\r' (tokq)") == "b'Bearer ***\\r' (***)"
    assert redact("tokqs and atokq") == "tokqs and atokq"


def test_log_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Logs name hosts, queues and agents: 0600 like recordings and exports, an old 0644
    log included, and the files rotation creates too."""
    old = tmp_path / "old.log"
    old.write_text("written by an older ccmon\n")
    old.chmod(0o644)
    for path in (tmp_path / "new" / "ccmon.log", old):
        setup_logging("debug", path)
        try:
            logging.getLogger("ccmon.test").warning("x" * 2000)
            handler = logging.getLogger().handlers[-1]
            assert isinstance(handler, logging.handlers.RotatingFileHandler)
            handler.doRollover()
            logging.getLogger("ccmon.test").warning("after the rollover")
        finally:
            remove_logging()
        for written in path.parent.glob(path.name + "*"):
            assert stat.S_IMODE(written.stat().st_mode) == 0o600, written


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CCMON_ALO_AUTH_SCHEME", "Bea\rrer"), ("CCMON_EVO_AUTH_HEADER", "X-Api\nKey")],
)
def test_a_header_name_or_scheme_that_http_cannot_carry_is_refused_by_name(
    sim: SimServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
) -> None:
    """The header around the token must not make h11 refuse it (and quote it) either."""
    out = Outputs()
    env = {**sim.env, variable: value, "XDG_STATE_HOME": str(tmp_path)}
    assert run_cli(out, "snapshot", ["snapshot"], env, monkeypatch, capsys) == EXIT_USAGE
    line = out.texts["snapshot stderr"]
    assert variable in line, line
    assert "must be printable ASCII without spaces" in line, line
    assert not out.leaks(secrets(sim.credentials.ccai_username))
