"""The pathway as a graph: one definition of 'where a node can go', shared by every checker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ms_navigator import model


def targets(node: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (location in the node, node id) for every node this one can go to in its pathway."""
    if isinstance(node, model.QuestionNode):
        for i, option in enumerate(node.options):
            yield ("options", i, "next"), option.next
    elif isinstance(node, model.BranchNode):
        for i, route in enumerate(node.routes):
            yield ("routes", i, "next"), route.next
        if node.otherwise is not None:
            yield ("otherwise",), node.otherwise
    elif getattr(node, "next", None) is not None:
        yield ("next",), node.next


def condition_tests(cond: model.Condition,
                    loc: tuple[Any, ...] = ()) -> Iterator[tuple[model.FactIn, tuple[Any, ...]]]:
    """Yield every `fact in values` test inside a condition, with its location."""
    if isinstance(cond, model.FactIn):
        yield cond, loc
    elif isinstance(cond, model.Known):
        return  # reads no value: integrity checks the fact exists (graph.known_tests)
    elif isinstance(cond, model.AllOf):
        for i, sub in enumerate(cond.all):
            yield from condition_tests(sub, loc + ("all", i))
    elif isinstance(cond, model.AnyOf):
        for i, sub in enumerate(cond.any):
            yield from condition_tests(sub, loc + ("any", i))
    else:
        yield from condition_tests(cond.not_, loc + ("not",))


def known_tests(cond: model.Condition, loc: tuple[Any, ...] = ()) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Yield the fact of every `known` test inside a condition, with its location."""
    if isinstance(cond, model.Known):
        yield cond.known, loc + ("known",)
    elif isinstance(cond, (model.AllOf, model.AnyOf)):
        parts = cond.all if isinstance(cond, model.AllOf) else cond.any
        key = "all" if isinstance(cond, model.AllOf) else "any"
        for i, sub in enumerate(parts):
            yield from known_tests(sub, loc + (key, i))
    elif isinstance(cond, model.NotOf):
        yield from known_tests(cond.not_, loc + ("not",))
