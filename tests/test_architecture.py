"""Import fences between the layers, checked by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "stemcell_cli"

# layer -> project layers and third-party packages it may import
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "model": (set(), {"msgspec"}),
    "names": (set(), set()),
    "errors": (set(), {"msgspec"}),
    "loading": ({"model", "errors", "loading", "__init__", "names"}, {"yaml", "msgspec"}),
    "evidence": ({"model", "errors", "evidence", "names"}, {"msgspec"}),
    "render": ({"model", "errors", "evidence", "render", "names"}, {"rich", "msgspec"}),
    "cli": ({"model", "errors", "evidence", "render", "loading", "cli", "__init__", "names"}, {"typer"}),
}
STDLIB_OK = {"__future__"}


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_what_its_layer_may(path: Path) -> None:
    import sys

    project, third_party = ALLOWED[_layer(path)]
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "stemcell_cli":
            inner = name.split(".")[1] if "." in name else "__init__"
            assert inner in project | {_layer(path)}, f"{path.name} imports {name}"
        elif top not in sys.stdlib_module_names and top not in STDLIB_OK:
            assert top in third_party, f"{path.name} imports {name}"


def test_nothing_imports_the_cli_except_the_entry_points() -> None:
    for path in PACKAGE.rglob("*.py"):
        if _layer(path) in {"cli", "__main__"}:
            continue
        assert not any(n.startswith("stemcell_cli.cli") for n in _imports(path)), path.name


def test_only_render_imports_rich_and_only_loading_imports_yaml() -> None:
    for path in PACKAGE.rglob("*.py"):
        tops = {n.split(".")[0] for n in _imports(path)}
        if "rich" in tops:
            assert _layer(path) == "render", path.name
        if "yaml" in tops:
            assert _layer(path) == "loading", path.name
        assert "click" not in tops, path.name
