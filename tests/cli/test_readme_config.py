"""The README's example configuration is one ccmon accepts, profile included."""

from __future__ import annotations

import re
from pathlib import Path

from ccmon.config.load import load_settings

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_example_loads(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## Configuration and operations")[1]
    match = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert match is not None
    path = tmp_path / "config.toml"
    path.write_text(match.group(1), encoding="utf-8")

    settings = load_settings(path, env={})
    assert settings.ccai.rate == 0.8
    assert settings.sla.policy().min_contacts == 5
    assert not settings.evo.is_enabled

    eu = load_settings(path, profile="prod-eu", env={})
    assert eu.ccai.base_url == "https://acme-eu.ujet.co/manager/api/v1"
    assert eu.ccai.rate == 0.8
    assert eu.ui.theme == "light"
