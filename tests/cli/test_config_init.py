"""``ccmon config init|path|show``: a commented template generated from the settings models."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from pydantic import BaseModel

from ccmon.config.load import load_settings, masked
from ccmon.config.settings import Settings
from tests.support.cli import Run

SETTING_LINE = re.compile(r"^#(\w+) = ", re.MULTILINE)


def sections() -> dict[str, type[BaseModel]]:
    found = {}
    for name, field in Settings.model_fields.items():
        assert isinstance(field.annotation, type)
        assert issubclass(field.annotation, BaseModel)
        found[name] = field.annotation
    return found


def test_init_writes_the_template_where_config_path_says(ccmon: Run, isolated: Path) -> None:
    path = Path(ccmon("config", "path").out.strip())
    assert path == isolated / "config" / "ccmon" / "config.toml"
    result = ccmon("config", "init")
    assert result.code == 0
    assert str(path) in result.out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it may come to hold a token
    assert path.read_text().startswith("# ccmon configuration")


def test_init_never_overwrites_without_force(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("[ui]\ntheme = 'light'\n")
    result = ccmon("config", "init", "--config", str(path))
    assert result.code == 1
    assert "already exists; `ccmon config init --force` replaces it" in result.error_line
    assert path.read_text() == "[ui]\ntheme = 'light'\n"
    assert ccmon("config", "init", "--config", str(path), "--force").code == 0
    assert path.read_text().startswith("# ccmon configuration")


def test_path_follows_the_flag_and_the_variable(
    ccmon: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ccmon("config", "path", "--config", "/x/y.toml").out.strip() == "/x/y.toml"
    monkeypatch.setenv("CCMON_CONFIG", str(tmp_path / "z.toml"))
    assert ccmon("config", "path").out.strip() == str(tmp_path / "z.toml")


def test_the_template_loads_to_the_defaults(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert ccmon("config", "init", "--config", str(path)).code == 0
    assert load_settings(path, env={}) == Settings()


def test_every_setting_is_in_the_template_and_every_example_is_valid(
    ccmon: Run, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    assert ccmon("config", "init", "--config", str(path)).code == 0
    text = path.read_text().split("# Profiles")[0]
    listed = SETTING_LINE.findall(text)
    assert listed == [key for model in sections().values() for key in model.model_fields]

    # Remove every '#' before a setting: each default and example must validate.
    path.write_text(SETTING_LINE.sub(lambda m: m.group(0)[1:], text))
    settings = load_settings(path, env={})
    assert settings.ccai.base_url == "https://acme.ujet.co/manager/api/v1"
    assert settings.ccai.intervals["agent_status"] == 2.5
    assert settings.sla == Settings().sla


def test_the_template_shows_docstrings_and_variable_names(ccmon: Run, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    ccmon("config", "init", "--config", str(path))
    text = path.read_text()
    assert (
        "# Seconds between screen refreshes; larger is kinder to slow SSH links (`--refresh`).\n"
        "#refresh_s = 1.0  # CCMON_UI_REFRESH_S\n"
    ) in text
    assert "[profiles.prod-eu.ccai]" in text


@pytest.mark.parametrize("section", ["ccai", "alo", "evo", "sla", "thresholds", "ui"])
def test_every_setting_has_a_docstring(section: str) -> None:
    for key, field in sections()[section].model_fields.items():
        assert field.description, f"{section}.{key} has no docstring"


def test_show_masks_secrets(ccmon: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCMON_CCAI_TOKEN", "s3cr3t-value-never-shown")
    result = ccmon("config", "show")
    assert result.code == 0
    shown = json.loads(result.out)
    assert shown["ccai"]["token"] == "***"
    assert "s3cr3t" not in result.out
    assert shown == masked(load_settings(env={"CCMON_CCAI_TOKEN": "x"}))
