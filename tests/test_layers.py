"""Layers one way: no module of ms-navigator imports, however indirectly, a module that
imports it (imports inside functions count; those only for type checkers do not)."""

from __future__ import annotations

import ast
from pathlib import Path

import ms_navigator
from ms_navigator.graph import reach

SRC = Path(ms_navigator.__file__).resolve().parent


def _module(path: Path) -> str:
    parts = ["ms_navigator", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, known: set[str]) -> set[str]:
    found: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in known else node.module)
        todo.extend(ast.iter_child_nodes(node))
    return {m for m in found if m in known}


def import_graph() -> dict[str, set[str]]:
    """Return, for every module of the package, the package's modules it imports."""
    files = {_module(p): p for p in SRC.rglob("*.py")}
    known = set(files)
    return {name: _imports(ast.parse(path.read_text(encoding="utf-8")), known) - {name}
            for name, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of imports, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[name] = 2
        path.pop()
        return None

    for name in sorted(graph):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert graph.get("ms_navigator.engine")
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_engine_and_the_caches_stay_below_the_front_ends() -> None:
    """The engine is pure, a cache or store does not depend on the engine's sessions' users."""
    graph = import_graph()
    for low, high in (("engine", "because"), ("packcache", "loader"), ("packcache", "store"),
                      ("packcache", "engine"), ("store", "engine"), ("engine", "render.terminal"),
                      ("model", "loader"), ("conditions", "engine"), ("nodes", "engine")):
        assert f"ms_navigator.{high}" not in reach(graph, f"ms_navigator.{low}"), (low, high)

