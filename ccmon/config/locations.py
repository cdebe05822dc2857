"""Where ccmon keeps its files (XDG on Linux, the platform's places elsewhere)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_log_path

APP = "ccmon"


def config_file() -> Path:
    return user_config_path(APP) / "config.toml"


def log_dir() -> Path:
    return user_log_path(APP)


def history_file() -> Path:
    """The default history store (``[history] path`` overrides it)."""
    return user_data_path(APP) / "history.sqlite3"
