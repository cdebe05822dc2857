"""``[ui] export_dir``: where ``e`` writes its CSV files; a file there is refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmon.commands.live import ui_options
from ccmon.config.load import load_settings
from tests.support.cli import Run


def test_export_dir_is_read_with_the_home_directory_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nexport_dir = "~/exports"\n', encoding="utf-8")
    settings = load_settings(path, env={})
    assert settings.ui.export_dir == tmp_path / "exports"
    assert ui_options(settings).export_dir == tmp_path / "exports"
    assert load_settings(path, env={"CCMON_UI_EXPORT_DIR": str(tmp_path)}).ui.export_dir == (
        tmp_path
    )
    assert ui_options(load_settings(None, env={"CCMON_CONFIG": "/dev/null"})).export_dir is None


def test_an_export_dir_that_is_a_file_is_refused(ccmon: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[ui]\nexport_dir = "{config}"\n', encoding="utf-8")
    result = ccmon("snapshot", "--config", str(config))
    assert result.code == 1
    assert "ui.export_dir" in result.error_line
    assert "is a file, not a directory" in result.error_line


def test_config_init_documents_export_dir(ccmon: Run, tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    assert ccmon("config", "init", "--config", str(target)).code == 0
    assert "\n#export_dir = " in target.read_text(encoding="utf-8")
