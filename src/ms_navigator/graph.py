"""The pathway as a graph: where each node can go (declared per node type in `nodes`), the
one traversal that the flow rules and `ahead` share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ms_navigator import model, nodes


def targets(node: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (location in the node, node id) for every node this one can go to in its pathway."""
    return nodes.targets(node)


def edges(pathway: model.Pathway) -> dict[str, list[str]]:
    """Return, for every node of a pathway, the nodes of the pathway it can go to."""
    return {n.id: [t for _, t in nodes.targets(n) if t in pathway.node_map]
            for n in pathway.node_map.values()}


def reach(edges_: Mapping[str, Iterable[str]], start: str) -> set[str]:
    """Return the nodes reachable from `start` (itself included)."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges_.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
