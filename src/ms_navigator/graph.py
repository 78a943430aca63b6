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


Leaf = model.FactIn | model.Known


def condition_leaves(cond: model.Condition,
                     loc: tuple[Any, ...] = ()) -> Iterator[tuple[Leaf, tuple[Any, ...]]]:
    """Yield every test that reads a fact (`fact in values`, `known`) inside a condition, with its location."""
    if isinstance(cond, (model.FactIn, model.Known)):
        yield cond, loc
    elif isinstance(cond, model.AllOf):
        for i, sub in enumerate(cond.all):
            yield from condition_leaves(sub, loc + ("all", i))
    elif isinstance(cond, model.AnyOf):
        for i, sub in enumerate(cond.any):
            yield from condition_leaves(sub, loc + ("any", i))
    else:
        yield from condition_leaves(cond.not_, loc + ("not",))


def condition_facts(cond: model.Condition) -> set[str]:
    """Return the facts a condition reads (whether it tests their value or only that they are known)."""
    return {leaf.fact if isinstance(leaf, model.FactIn) else leaf.known
            for leaf, _ in condition_leaves(cond)}
