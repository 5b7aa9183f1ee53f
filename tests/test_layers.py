"""Layering: model < readers/stages/renderers < pipeline < state < tasks/qa/cos < api/cli (checked on imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "docrecon"

#: package -> packages it must not import
FORBIDDEN = {
    "model": {"readers", "stages", "renderers", "pipeline", "tasks", "api", "cli", "storage", "qa", "ocr"},
    "renderers": {"readers", "stages", "pipeline", "tasks", "api", "cli", "storage", "qa"},
    "stages": {"renderers", "pipeline", "tasks", "api", "cli", "storage", "qa"},
    "readers": {"renderers", "pipeline", "tasks", "api", "cli", "storage", "qa"},
    "ocr": {"renderers", "pipeline", "tasks", "api", "cli", "storage", "qa"},
    # page geometry sits below both the stages and the table finders
    "geometry": {"stages", "tables", "readers", "renderers", "pipeline", "tasks", "api", "cli", "storage", "qa", "ocr"},
    "tables": {"stages", "renderers", "pipeline", "tasks", "api", "cli", "storage", "qa"},
    # framework loaders sit on the library (parse, chunk), beside the CLI
    "integrations": {"tasks", "api", "cli", "storage", "qa"},
    # persistent state sits below everything that keeps state: tasks, Q&A, COS and the API
    "state": {"api", "cli", "tasks", "qa", "cos", "pipeline", "readers", "stages", "renderers", "ocr", "tables"},
}
#: the HTTP layer and the command line; nothing else may import from them
TOP = {"api", "cli", "__main__"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docrecon."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("docrecon."):
                    found.add(alias.name.split(".")[1])
    return found


CASES = [(pkg, f) for pkg in FORBIDDEN for f in sorted((SRC / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), CASES, ids=[f"{p}/{f.name}" for p, f in CASES])
def test_no_upward_imports(package: str, path: Path) -> None:
    bad = _imports(path) & FORBIDDEN[package]
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


BELOW_API = sorted(f for f in SRC.rglob("*.py") if f.relative_to(SRC).parts[0].removesuffix(".py") not in TOP)


@pytest.mark.parametrize("path", BELOW_API, ids=[str(f.relative_to(SRC)) for f in BELOW_API])
def test_nothing_below_imports_api(path: Path) -> None:
    bad = _imports(path) & {"api", "cli"}
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_state_stores_live_in_state() -> None:
    """Every store (a subclass of db.SqlStore) is defined in docrecon/state."""
    outside = [
        f.relative_to(SRC)
        for f in SRC.rglob("*.py")
        if f.relative_to(SRC).parts[0] not in ("state", "db.py") and "(SqlStore)" in f.read_text(encoding="utf-8")
    ]
    assert outside == []
