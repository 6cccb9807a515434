"""The house rules that keep the code readable: small rooms, no private helpers borrowed across
modules, no caches keyed by object identity in the statistics."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import survey_analysis

PKG = Path(survey_analysis.__file__).parent
FILES = sorted(p for p in PKG.rglob("*.py"))
MAX_MODULE = 800
MAX_FUNCTION = 100


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_modules_and_functions_are_small(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE, f"{path.name}: {text.count(chr(10))} lines"
    for node in ast.walk(_tree(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            assert n <= MAX_FUNCTION, f"{path.name}: {node.name} has {n} lines"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_private_name_is_imported_from_another_module(path):
    """``from .x import _helper`` borrows another module's private helper: make it public in one
    place instead (private *modules* imported as a whole, ``from . import _format``, are fine)."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            for alias in node.names:
                assert not alias.name.startswith("_"), f"{path.name}: from {node.module} import {alias.name}"


def test_no_cache_keyed_by_object_identity():
    """No id()-keyed caches anywhere in the package (an id is reused once its object dies)."""
    for path in PKG.rglob("*.py"):
        tree = _tree(path)
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                 and n.func.id == "id"]
        assert not calls, f"{path.relative_to(PKG)} calls id()"
        assert "weakref" not in path.read_text(encoding="utf-8"), path.name
