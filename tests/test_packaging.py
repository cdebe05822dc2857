"""The wheel a user installs holds everything ccmon needs at run time (not only the code)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_runs_from_anywhere_with_its_themes_and_styles(tmp_path: Path) -> None:
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run(
        [*build, "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    [wheel] = tmp_path.glob("ccmon-*.whl")
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(unpacked)
    bundled = {p.name for p in (ROOT / "themes").glob("*.toml")}
    assert {f"ccmon/themes/{name}" for name in bundled} <= names
    assert "ccmon/ui/app.tcss" in names
    page = {f"ccmon/serve/static/{n}" for n in ("index.html", "wallboard.js", "wallboard.css")}
    assert page <= names  # ccmon serve's wallboard page ships inside the package
    found = subprocess.run(
        [sys.executable, "-c", "from ccmon.ui.themes import load_themes; print(*load_themes())"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert set(found.stdout.split()) >= {name.removesuffix(".toml") for name in bundled}
