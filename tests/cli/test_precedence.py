"""default < config file < profile < CCMON_* environment < command-line flag, for what the
live screen is given: the TUI is replaced by a stand-in that records its arguments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

import ccmon.commands.live
from ccmon.cli import build_parser
from ccmon.commands import demo as demo_command
from ccmon.config.env_names import env_name
from ccmon.config.load import _env_overrides
from ccmon.config.settings import Settings
from ccmon.domain.policy import SlaPolicy, Thresholds
from ccmon.engine.engine import Engine
from ccmon.sim.config import SimConfig
from ccmon.ui.options import UiOptions
from tests.support.cli import Run

SOURCE = {
    "CCMON_CCAI_BASE_URL": "http://127.0.0.1:9/manager/api/v1",
    "CCMON_CCAI_TOKEN": "t",
}


class ScreenStandIn:
    """Takes what ``CcmonApp`` takes; ``run`` returns at once."""

    last: ClassVar[ScreenStandIn]

    def __init__(self, engine: Engine, options: UiOptions, **kwargs: Any) -> None:
        self.engine, self.options, self.kwargs = engine, options, kwargs
        self.mouse: bool | None = None
        ScreenStandIn.last = self

    def run(self, *, mouse: bool) -> None:
        self.mouse = mouse


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> type[ScreenStandIn]:
    monkeypatch.setattr(ccmon.commands.live, "CcmonApp", ScreenStandIn)
    for name, value in SOURCE.items():
        monkeypatch.setenv(name, value)
    return ScreenStandIn


LAYERS = ["default", "file", "profile", "env", "flag"]


@pytest.mark.parametrize("top", LAYERS)
def test_each_layer_overrides_the_ones_below(
    top: str,
    ccmon: Run,
    screen: type[ScreenStandIn],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every layer up to ``top`` sets a different value; the value of ``top`` wins."""
    upto = LAYERS[: LAYERS.index(top) + 1]
    file = tmp_path / "config.toml"
    text = ""
    if "file" in upto:
        text += "[ui]\nflash_s = 4\nrefresh_s = 4\ntheme = 'light'\nmouse = true\n"
    if "profile" in upto:
        text += "[profiles.p.ui]\nflash_s = 5\nrefresh_s = 5\ntheme = 'ansi'\nmouse = true\n"
    file.write_text(text)
    argv = ["--config", str(file)]
    if "profile" in upto:
        argv += ["--profile", "p"]
    if "env" in upto:
        for key, value in (("FLASH_S", "6"), ("REFRESH_S", "6"), ("THEME", "mono")):
            monkeypatch.setenv(f"CCMON_UI_{key}", value)
        monkeypatch.setenv("CCMON_UI_MOUSE", "true")
    if "flag" in upto:
        argv += ["--flash", "7", "--refresh", "7", "--theme", "dark", "--no-mouse"]

    assert ccmon(*argv).code == 0
    shown = screen.last
    expected = {"default": 3.0, "file": 4.0, "profile": 5.0, "env": 6.0, "flag": 7.0}[top]
    assert shown.options.flash_s == expected
    assert shown.options.tick_s == (1.0 if top == "default" else expected)
    # Real theme names (ccmon refuses unknown ones); each layer's differs from the one below.
    themes = {"default": "dark", "file": "light", "profile": "ansi", "env": "mono", "flag": "dark"}
    assert shown.kwargs["theme"] == themes[top]
    assert shown.mouse is (top != "flag")


def test_the_file_sets_service_level_thresholds_and_alerts(
    ccmon: Run, screen: type[ScreenStandIn], tmp_path: Path
) -> None:
    file = tmp_path / "config.toml"
    file.write_text(
        "[sla]\ntarget_pct = 90\nthreshold_s = 30\nabandons_count = false\n"
        "short_abandon_s = 10\nwindow_min = 30\nmin_contacts = 3\n"
        "[thresholds]\nlongest_wait_warn_s = 30\nlongest_wait_bad_s = 90\n"
        "waiting_warn = 2\nwaiting_bad = 4\nsl_warn_margin_pct = 2.5\n"
        "[alerts]\nlongest_wait_s = 45\nbell = true\n"
    )
    assert ccmon("--config", str(file)).code == 0
    options = screen.last.options
    assert options.policy == SlaPolicy(90.0, 30, False, 10, 30, 3)
    assert options.thresholds == Thresholds(30, 90, 2, 4, 2.5)
    assert options.alerts.longest_wait_s == 45
    assert options.alerts.bell


def test_mask_pii_from_file_flag_or_wallboard(
    ccmon: Run, screen: type[ScreenStandIn], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "config.toml"
    file.write_text("")
    assert ccmon("--config", str(file)).code == 0
    assert not screen.last.options.mask_pii
    assert ccmon("--config", str(file), "--mask-pii").code == 0
    assert screen.last.options.mask_pii
    assert ccmon("--config", str(file), "--wallboard").code == 0
    assert screen.last.options.mask_pii
    monkeypatch.setenv("CCMON_UI_MASK_PII", "yes")
    assert ccmon("--config", str(file)).code == 0
    assert screen.last.options.mask_pii


def test_common_options_before_the_subcommand_are_kept(ccmon: Run, tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text("[ccai]\nrate = 0.5\n[profiles.eu.ccai]\nrate = 0.25\n")
    shown = ccmon("--config", str(file), "--profile", "eu", "config", "show")
    assert '"rate": 0.25' in shown.out


def test_sources_take_file_then_profile_then_environment(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "config.toml"
    file.write_text("[ccai]\nrate = 0.5\nburst = 2\n[profiles.eu.ccai]\nrate = 0.25\n")

    def rate(*argv: str) -> str:
        out = ccmon("config", "show", "--config", str(file), *argv).out
        return out.split('"rate": ')[1].split(",")[0]

    assert rate() == "0.5"
    assert rate("--profile", "eu") == "0.25"
    monkeypatch.setenv("CCMON_CCAI_RATE", "0.75")
    assert rate("--profile", "eu") == "0.75"
    assert '"burst": 2' in ccmon("config", "show", "--config", str(file)).out


def test_intervals_from_the_environment_override_only_the_feeds_they_name(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "config.toml"
    file.write_text("[ccai]\nintervals = { calls = 40, sla_call = 90 }\n")
    monkeypatch.setenv("CCMON_CCAI_INTERVALS", " calls = 10 , chats=15")
    shown = json.loads(ccmon("config", "show", "--config", str(file)).out)
    assert shown["ccai"]["intervals"] == {"calls": 10, "sla_call": 90, "chats": 15}


def test_demo_keeps_the_rest_of_the_configuration(
    ccmon: Run, screen: type[ScreenStandIn], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The simulator stands in for every source (a real account's variables are ignored);
    the screen settings from the file and the environment still apply."""
    file = tmp_path / "config.toml"
    file.write_text("[ui]\ntheme = 'light'\n")
    monkeypatch.setenv("CCMON_CONFIG", str(file))
    monkeypatch.setenv("CCMON_UI_FLASH_S", "2")
    monkeypatch.setenv("CCMON_CCAI_BASE_URL", "https://acme.ujet.co/manager/api/v1")
    assert ccmon("--demo").code == 0
    shown = screen.last
    assert shown.kwargs["theme"] == "light"
    assert shown.options.flash_s == 2.0
    [ccai] = [s for s in shown.engine.sources if s.name == "ccai"]
    assert ccai.client.host == "127.0.0.1"


def test_seed_picks_the_demo_day(
    ccmon: Run, screen: type[ScreenStandIn], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = demo_command.demo_config

    def recorded(seed: int | None = None, **overrides: Any) -> SimConfig:
        config = real(seed, **overrides)
        started.append(config.seed)
        return config

    monkeypatch.setattr(demo_command, "demo_config", recorded)
    assert ccmon("--demo", "--seed", "42").code == 0
    assert ccmon("--demo").code == 0
    assert started == [42, demo_command.DEMO_SEED]
    assert build_parser().parse_args(["snapshot", "--demo", "--seed", "5"]).seed == 5
    assert "add --demo" in ccmon("--seed", "42").error_line


def _containers() -> list[tuple[str, str, type]]:
    """Every list or dict setting, found by its real type (optional ones included)."""
    from pydantic import BaseModel

    found: list[tuple[str, str, type]] = []
    for section, info in Settings.model_fields.items():
        model = info.annotation
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        for field, finfo in model.model_fields.items():
            text = repr(finfo.annotation)
            for kind in (dict, list):
                if text.startswith(f"{kind.__name__}[") or f"| {kind.__name__}[" in text:
                    found.append((section, field, kind))
    return found


@pytest.mark.parametrize(("section", "field", "kind"), _containers())
def test_every_list_and_table_setting_is_split_from_its_variable(
    section: str, field: str, kind: type
) -> None:
    variable = env_name(section, field)
    parsed = _env_overrides({variable: "a=1,b=2" if kind is dict else "a, b"})[section][field]
    assert parsed == ({"a": "1", "b": "2"} if kind is dict else ["a", "b"])


def test_a_plain_setting_is_taken_whole_from_its_variable() -> None:
    assert _env_overrides({"CCMON_UI_THEME": "a, b"}) == {"ui": {"theme": "a, b"}}
    assert _env_overrides({"CCMON_HUB_URL": "redis://h/0,x=1"})["hub"]["url"] == "redis://h/0,x=1"


def test_the_settings_hold_lists_and_tables() -> None:
    kinds = {(section, field) for section, field, _ in _containers()}
    assert {("ui", "panes"), ("ccai", "intervals"), ("alerts", "off")} <= kinds
