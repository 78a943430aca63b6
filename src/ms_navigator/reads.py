"""Which facts the walk may still read from a place in the pathways: for merging equal states.

An over-approximation is safe: it can only keep apart two states that could have been merged,
never merge two that differ.
"""

from __future__ import annotations

from functools import cache

from ms_navigator import graph, model


def _own(pack: model.Pack, node: object) -> set[str]:
    """Return the facts a node reads itself."""
    if isinstance(node, model.QuestionNode):
        return {node.fact}
    if isinstance(node, model.BranchNode):
        return ({t.fact for r in node.routes for t, _ in graph.condition_tests(r.when)}
                | {fact for r in node.routes for fact, _ in graph.known_tests(r.when)})
    if isinstance(node, model.ServicesNode) and node.table in pack.tables:
        return set(pack.tables[node.table].inputs)
    return set()


class Reads:
    """Facts read from each (pathway, node) onwards, through `goto`s, for one pack."""

    def __init__(self, pack: model.Pack) -> None:
        self.pack = pack
        self.after = cache(self._after)
        self.pathway_total = cache(self._pathway_total)

    def _reachable(self, pathway_id: str, node_id: str) -> list[object]:
        pathway = self.pack.pathways[pathway_id]
        seen, todo = {node_id}, [node_id]
        while todo:
            for _, nxt in graph.targets(pathway.node_map[todo.pop()]):
                if nxt not in seen and nxt in pathway.node_map:
                    seen.add(nxt)
                    todo.append(nxt)
        return [pathway.node_map[n] for n in seen]

    def _after(self, pathway_id: str, node_id: str) -> frozenset[str]:
        """Return the facts read from this node on, including pathways it hands over to."""
        found: set[str] = set()
        for node in self._reachable(pathway_id, node_id):
            found |= _own(self.pack, node)
            if isinstance(node, model.GotoNode):
                found |= self.pathway_total(node.pathway)
        return frozenset(found)

    def _pathway_total(self, pathway_id: str) -> frozenset[str]:
        """Return every fact a pathway, and any pathway it hands over to, can read."""
        seen, todo, found = {pathway_id}, [pathway_id], set()
        while todo:
            for node in self.pack.pathways[todo.pop()].node_map.values():
                found |= _own(self.pack, node)
                if isinstance(node, model.GotoNode) and node.pathway not in seen \
                        and node.pathway in self.pack.pathways:
                    seen.add(node.pathway)
                    todo.append(node.pathway)
        return frozenset(found)
