"""Every way a configuration can be wrong ends in one line naming what to fix, exit code 1.

The line names the key, the value (never a secret) and what is allowed, and where the value
came from; there is never a traceback. Each case runs the real command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ccmon.config import secrets
from tests.support.cli import Run

SECRET = "s3cr3t-value-never-shown"
SIM_LIKE = {"CCMON_CCAI_BASE_URL": "http://127.0.0.1:9/manager/api/v1"}


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ccmon.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def fails_with(ccmon: Run, *argv: str) -> str:
    result = ccmon(*argv)
    assert result.code == 1, result
    line = result.error_line
    assert SECRET not in result.out + result.err
    return line


# -- the file ------------------------------------------------------------------------------
FILE_ERRORS = [
    pytest.param(
        "[ccai\nrate = 1\n",
        ["is not valid TOML", "line 1"],
        id="bad-toml",
    ),
    pytest.param(
        "[ui]\nflsh_s = 2\n",
        ["unknown setting ui.flsh_s", "did you mean ui.flash_s?"],
        id="unknown-key-with-suggestion",
    ),
    pytest.param(
        "[uii]\ntheme = 'light'\n",
        ["unknown section [uii]", "did you mean [ui]?"],
        id="unknown-section",
    ),
    pytest.param(
        f"[ccai]\nzzz = '{SECRET}'\n",
        ["unknown setting ccai.zzz", "ccai takes: enabled, base_url, token"],
        id="unknown-key-lists-the-valid-ones-and-hides-the-value",
    ),
    pytest.param(
        "[ccai]\nintervals = { agent_status = 5, agnt_status = 2 }\n",
        ["unknown setting ccai.intervals.agnt_status", "did you mean ccai.intervals.agent_status?"],
        id="misspelt-feed-interval",
    ),
    pytest.param(
        "[evo]\nintervals = { queues = 2 }\n",
        ["unknown setting evo.intervals.queues", "evo polls: sessions"],
        id="interval-for-a-feed-the-source-does-not-have",
    ),
    pytest.param(
        "[ccai]\nrate = 'fast'\n",
        ["ccai.rate = 'fast'", "must be a valid number"],
        id="wrong-type",
    ),
    pytest.param(
        "[sla]\ntarget_pct = 120\n",
        ["sla.target_pct = 120", "must be less than or equal to 100"],
        id="out-of-range",
    ),
    pytest.param(
        "[alerts]\noff = ['waiting_above', 'waiting']\n",
        ["alerts.off[1] = 'waiting'", "must be 'longest_wait_s', 'sl_below_pct', 'waiting_above'"],
        id="not-one-of-the-choices",
    ),
    pytest.param(
        "[thresholds]\nwaiting_warn = 20\n",
        ["thresholds", "waiting_warn (20) must not exceed waiting_bad (10)"],
        id="warn-above-bad",
    ),
    pytest.param(
        "[alo]\nbase_url = 'api.alo.ai/v1'\n",
        ["alo.base_url = 'api.alo.ai/v1'", "must start with http:// or https://"],
        id="bad-url",
    ),
    pytest.param(
        f"[ccai]\nbase_url = 'https://acme:{SECRET}@acme.ujet.co/manager/api/v1'\n",
        ["ccai.base_url = 'https://***@acme.ujet.co", "must not contain credentials"],
        id="credentials-in-url",
    ),
    pytest.param(
        "[evo]\ntoken = 12345\n",
        ["evo.token = ***", "must be a valid string"],
        id="secret-of-the-wrong-type-is-not-shown",
    ),
    pytest.param(
        "ccai = 3\n",
        ["ccai = 3", "must be a valid dictionary"],
        id="section-that-is-not-a-table",
    ),
    pytest.param(
        "[profiles]\nprod = 3\n",
        ["profiles.prod", "must be a table"],
        id="profile-that-is-not-a-table",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FILE_ERRORS)
def test_invalid_file(ccmon: Run, tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    argv = ["snapshot", "--config", path]
    if "profiles" in text:
        argv += ["--profile", "prod"]
    line = fails_with(ccmon, *argv)
    for fragment in expected:
        assert fragment in line
    if "TOML" not in line:
        assert path in line  # which file to open


def test_a_file_not_in_utf8_is_named_with_the_byte(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "ccmon.toml"
    path.write_bytes("[ui]\ntheme = 'Caf\u00e9'\n".encode("latin-1"))
    line = fails_with(ccmon, "snapshot", "--config", str(path))
    assert line == f"ccmon: config file {path} is not UTF-8 at byte 17: save it as UTF-8"


def test_a_byte_order_mark_is_accepted(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "ccmon.toml"
    path.write_bytes("\ufeff[ui]\ntheme = 'light'\n".encode())
    result = ccmon("config", "show", "--config", str(path))
    assert result.code == 0, result.err
    assert json.loads(result.out)["ui"]["theme"] == "light"


def test_more_than_one_error_says_how_many(ccmon: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\nflash_s = 0\nrefresh_s = 0\n")
    assert "(and 1 more)" in fails_with(ccmon, "snapshot", "--config", path)


# -- where the value came from ------------------------------------------------------------
def test_a_bad_environment_variable_is_named(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_UI_FLASH_S", "-1")
    line = fails_with(ccmon, "snapshot", "--config", write(tmp_path, "[ui]\nflash_s = 2\n"))
    assert "ui.flash_s = '-1'" in line
    assert "from CCMON_UI_FLASH_S" in line


def test_a_bad_flag_is_blamed_on_the_command_line(ccmon: Run) -> None:
    line = fails_with(ccmon, "--refresh", "0", "--once")
    assert "ui.refresh_s = 0.0" in line
    assert "from the command line" in line


def test_a_bad_profile_value_names_the_profile(ccmon: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "[ccai]\nrate = 1\n[profiles.eu.ccai]\nrate = 0\n")
    line = fails_with(ccmon, "snapshot", "--config", path, "--profile", "eu")
    assert "ccai.rate = 0" in line
    assert f"in [profiles.eu] of {path}" in line


def test_a_mistake_in_a_profile_not_in_use_is_found_now(ccmon: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.eu.ccai]\nrate = 1\n[profiles.us.ui]\nflsh_s = 2\n")
    line = fails_with(ccmon, "snapshot", "--config", path, "--profile", "eu")
    assert "unknown setting ui.flsh_s; did you mean ui.flash_s?" in line
    assert f"in [profiles.us] of {path}" in line


def test_a_table_from_the_environment_must_be_key_value_pairs(
    ccmon: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_CCAI_INTERVALS", "calls=10,chats")
    line = fails_with(ccmon, "config", "show")
    assert "CCMON_CCAI_INTERVALS must be comma-separated key=value pairs" in line
    assert "'chats'" in line
    monkeypatch.setenv("CCMON_CCAI_INTERVALS", "calls=soon")
    line = fails_with(ccmon, "config", "show")
    assert "ccai.intervals.calls = 'soon'" in line
    assert "from CCMON_CCAI_INTERVALS" in line


def test_missing_profile_lists_the_known_ones(ccmon: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.eu.ccai]\nrate = 1\n[profiles.us.ccai]\nrate = 1\n")
    line = fails_with(ccmon, "snapshot", "--config", path, "--profile", "apac")
    assert "profile 'apac' is not in" in line
    assert "(known: eu, us)" in line


def test_missing_profile_in_a_file_without_profiles(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_PROFILE", "eu")
    line = fails_with(ccmon, "snapshot", "--config", write(tmp_path, ""))
    assert "it has no [profiles.*] tables" in line


# -- the file itself -----------------------------------------------------------------------
def test_explicit_config_that_does_not_exist(ccmon: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    line = fails_with(ccmon, "snapshot", "--config", str(missing))
    assert f"config file {missing} does not exist" in line
    assert "ccmon config init" in line


def test_ccmon_config_variable_that_points_nowhere(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_CONFIG", str(tmp_path / "nope.toml"))
    assert "does not exist" in fails_with(ccmon, "config", "show")


def test_the_default_file_may_be_absent(ccmon: Run) -> None:
    result = ccmon("config", "show")
    assert result.code == 0
    assert '"flash_s": 3.0' in result.out


# -- token_command -------------------------------------------------------------------------
def token_command_config(tmp_path: Path, command: str) -> str:
    return write(
        tmp_path,
        "[ccai]\nbase_url = 'http://127.0.0.1:9/manager/api/v1'\n"
        f"token_command = {json.dumps(command)}\n",
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        pytest.param(
            f"{sys.executable} -c 'import sys; print(\"{SECRET}\", file=sys.stderr); sys.exit(3)'",
            "ccai.token_command exited with status 3; run it by hand",
            id="fails",
        ),
        pytest.param(f"{sys.executable} -c 'pass'", "printed nothing", id="empty"),
        pytest.param("/nonexistent/pass show ccai", "could not run", id="not-found"),
    ],
)
def test_token_command(ccmon: Run, tmp_path: Path, command: str, expected: str) -> None:
    line = fails_with(ccmon, "snapshot", "--config", token_command_config(tmp_path, command))
    assert expected in line


def test_token_command_that_hangs(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets, "TOKEN_COMMAND_TIMEOUT_S", 0.3)
    path = token_command_config(tmp_path, f"{sys.executable} -c 'import time; time.sleep(30)'")
    line = fails_with(ccmon, "snapshot", "--config", path)
    assert "ccai.token_command did not finish within 0.3 s" in line


def test_enabled_source_without_a_token(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SIM_LIKE.items():
        monkeypatch.setenv(name, value)
    line = fails_with(ccmon, "doctor", "--config", write(tmp_path, ""))
    assert "ccai has no token; set CCMON_CCAI_TOKEN or ccai.token_command" in line


# -- usage ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["snapshot", "--format", "csv"], "--format csv needs --pane"),
        (["snapshot", "--pane", "agents"], "--pane goes with --format csv"),
        (["snapshot", "--format", "xml"], "invalid choice: 'xml'"),
        (["config", "init", "--config", "/proc/ccmon/config.toml"], "cannot write"),
        (["snapshot", "--log-file", "/proc/ccmon/ccmon.log"], "cannot write the log file"),
        (
            ["snapshot", "--deadline", "0"],
            "argument --deadline: must be a number of seconds above 0",
        ),
        (
            ["snapshot", "--deadline", "-5"],
            "argument --deadline: must be a number of seconds above 0",
        ),
        (["snapshot", "--deadline", "soon"], "argument --deadline: 'soon' is not a number"),
        (["watch", "--duration", "-1"], "argument --duration: must be a number of seconds above 0"),
    ],
)
def test_usage_errors(ccmon: Run, argv: list[str], expected: str) -> None:
    assert expected in fails_with(ccmon, *argv)


def test_nothing_configured(ccmon: Run) -> None:
    assert "no source is configured" in fails_with(ccmon, "snapshot")


# -- the real process ----------------------------------------------------------------------
def test_the_installed_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(
        tmp_path, f"[ccai]\nbase_url = 'https://acme:{SECRET}@acme.ujet.co/manager/api/v1'\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "ccmon", "snapshot", "--config", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "XDG_STATE_HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("ccmon: invalid setting ccai.base_url")
    assert SECRET not in done.stderr
