"""The one-way flow: every import in the package points down this list of layers, never up.

A module may import its own layer and any layer below it. The same list is in the README's
"Architecture" section (checked below), where it says what belongs in each layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ccmon"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "text", "errors", "files", "privacy", "runtime"),
    ("domain",),
    ("http",),
    ("config",),
    ("sources",),
    ("engine",),
    ("snapshot", "logs", "doctor", "sim", "history"),
    ("ui",),
    ("replay",),
    ("hub",),
    ("serve",),
    ("commands",),
    ("still", "cli", "__main__"),
)
"""Bottom first. ``__init__`` is the package itself (its ``__version__``)."""

RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _unit(module: str) -> str:
    """The top-level part of ``ccmon`` a dotted module name belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _imports(path: Path) -> list[tuple[int, str]]:
    return _imports_in(path.read_text(encoding="utf-8"), *_module_name(path))


def _imports_in(text: str, name: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every ``ccmon`` import in the module's text, in functions too."""
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                targets = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                targets = [node.module or ""]
        else:
            continue
        found += [(node.lineno, t) for t in targets if t == "ccmon" or t.startswith("ccmon.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    units = {_unit(_module_name(path)[0]) for path in MODULES}
    assert units - set(RANK) == set(), "add the new part of ccmon/ to LAYERS and the README"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    source = _unit(_module_name(path)[0])
    upward = [
        f"line {line}: {target} ({_unit(target)} is above {source})"
        for line, target in _imports(path)
        if RANK[_unit(target)] > RANK[source]
    ]
    assert upward == []


def test_the_screens_know_no_vendor() -> None:
    """Only the domain's records reach the screens: no import of ``ccmon.sources`` in the UI
    or the live command (an agent's recent activity comes through the Floor)."""
    screens = [*sorted((PACKAGE / "ui").rglob("*.py")), PACKAGE / "commands" / "live.py"]
    vendor = [
        f"{path.relative_to(ROOT)}:{line}: {target}"
        for path in screens
        for line, target in _imports(path)
        if _unit(target) == "sources"
    ]
    assert vendor == []


def test_the_walk_finds_late_and_relative_imports() -> None:
    """A late import is still an import: the walk must see it, or the test above is blind."""
    text = "import os\n\ndef f() -> None:\n    from ccmon.ui.app import App\n    from ..ui import x"
    found = _imports_in(text, "ccmon.engine.probe", is_package=False)
    assert found == [(4, "ccmon.ui.app"), (5, "ccmon.ui")]
    assert _imports_in("from . import y\n", "ccmon.engine", is_package=True) == [
        (1, "ccmon.engine")
    ]


def test_the_readme_states_the_same_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = " < ".join(", ".join(u for u in units if u != "__init__") for units in LAYERS)
    assert shown in readme
