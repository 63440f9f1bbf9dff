"""The shape of the code (docs/architecture.md), read from the source with `ast`: the layers, no
import circle, click and the process exit in their places, and modules and functions of a
readable size."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "connect_site"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# What each layer may import of connect_site (besides itself). `commands` may import
# every layer; only `cli` imports `commands`.
ALLOWED = {
    "errors": set(),
    "content": {"errors"},
    "site": {"errors", "content"},
    "output": {"errors"},
    "pipeline": {"errors", "content", "site", "output"},
    "imports": {"errors", "content", "pipeline"},
    "commands": {"errors", "content", "site", "pipeline", "imports", "__init__"},
    "cli": {"commands", "__init__"},
    "__main__": {"cli"},
    "__init__": set(),
}


@functools.cache
def modules() -> dict[str, Path]:
    """Every module by its dotted name below connect_site ("site.views.page")."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every `connect_site` module the source imports, at any depth of the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("connect_site"):
                    yield node.lineno, alias.name.removeprefix("connect_site").lstrip(".") or "__init__"
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("connect_site"):
                module = node.module.removeprefix("connect_site").lstrip(".")
            else:
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}" if module else alias.name
                yield node.lineno, full if full in modules() else (module or "__init__")


def layer(module: str) -> str:
    return module.split(".")[0]


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for _, m in imports(name, path) if m in known and m != name} for name, path in known.items()}


def test_the_layers_import_only_what_they_may() -> None:
    wrong = []
    for name, path in modules().items():
        for line, target in imports(name, path):
            mine, theirs = layer(name), layer(target)
            if mine != theirs and theirs not in ALLOWED[mine]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {target}")
    assert wrong == []


def test_the_layer_rules_are_enforced_by_this_test() -> None:
    """The rule checker itself finds a forbidden import (content importing site)."""
    assert "site" not in ALLOWED["content"] and "output" not in ALLOWED["site"]
    found = [m for _, m in imports("content.graph", SRC / "content" / "graph.py")]
    assert "content.entries" in found and "errors" in found


def test_there_is_no_import_circle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the path, 2: done
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert circles == []


def _calls(tree: ast.AST, owner: str, attr: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attr
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == owner
    ]


def test_click_only_in_the_commands_and_the_cli_and_no_sys_exit_outside_cli() -> None:
    wrong = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        third = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        third |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        if "click" in third and layer(name) not in ("commands", "cli"):
            wrong.append(f"{name} imports click")
        if {"tornado", "livereload"} & third and name != "commands.devserver":
            wrong.append(f"{name} imports the dev server's libraries")
        if name != "cli":
            wrong += [f"{name}:{line} calls sys.exit" for line in _calls(tree, "sys", "exit")]
    assert wrong == []


def test_modules_and_functions_stay_readable() -> None:
    wrong = []
    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        if (n := len(source.splitlines())) > MAX_MODULE_LINES:
            wrong.append(f"{name}: {n} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    wrong.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert wrong == []


@pytest.mark.parametrize("kind", ["content", "site", "output", "commands"])
def test_the_tests_mirror_the_packages(kind: str) -> None:
    """A test for `content/graph.py` is found in tests/content/; every package has its folder."""
    assert (ROOT / "tests" / kind).is_dir()
    assert any((ROOT / "tests" / kind).glob("test_*.py"))
