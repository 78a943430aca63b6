"""What may still happen from a place in the pathways: facts read or asked, steps, services.

The invariant search and `explore.Endings` use it to merge paths: a fact no node ahead reads
no longer matters (and, for the search, an invariant that nothing ahead can break or mend is
settled). Every answer is an
over-approximation (all the nodes reachable, whatever the answers), which is safe: it can only
keep apart two states that could have been merged, never merge two that differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ms_navigator import engine, graph, model


@dataclass(frozen=True)
class Ahead:
    """Everything that may happen from a place onwards."""

    reads: frozenset[str] = frozenset()
    """Facts whose value a node may use."""
    known: frozenset[str] = frozenset()
    """Facts of which a node may use only whether they are known yet (their value aside)."""
    asks: frozenset[str] = frozenset()
    """Facts a question may ask."""
    steps: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()

    def __or__(self, other: Ahead) -> Ahead:
        """Return what either may do. A part that one side already holds in full is shared,
        not copied: along a pathway most nodes add nothing new to what follows them, and
        copying every set at every node made this quadratic in a long pathway's length
        (31 MB for the 10,000-node synthetic pack; docs/performance.md)."""
        parts = tuple(_union(mine, theirs) for mine, theirs in zip(
            (self.reads, self.known, self.asks, self.steps, self.services),
            (other.reads, other.known, other.asks, other.steps, other.services)))
        if all(a is b for a, b in zip(parts, (self.reads, self.known, self.asks, self.steps,
                                              self.services))):
            return self
        return Ahead(*parts)


def _union(mine: frozenset[str], theirs: frozenset[str]) -> frozenset[str]:
    """Return the union of two sets, as one of them where it contains the other."""
    if theirs <= mine:
        return mine
    return theirs if mine <= theirs else mine | theirs


def _own(pack: model.Pack, node: object) -> Ahead:
    """Return what a node does itself."""
    if isinstance(node, model.QuestionNode):
        # Asked if unknown, followed if known; the value only matters if the options part ways,
        # or leave a value out (a walk with that value already known cannot go on).
        fact = frozenset({node.fact})
        targets = {o.next for o in node.options}
        covered = {o.value for o in node.options} >= set(pack.facts[node.fact].allowed())
        return Ahead(reads=fact if len(targets) > 1 or not covered else frozenset(),
                     known=fact, asks=fact)
    if isinstance(node, model.BranchNode):
        leaves = [leaf for r in node.routes for leaf, _ in graph.condition_leaves(r.when)]
        return Ahead(reads=frozenset(l.fact for l in leaves if isinstance(l, model.FactIn)),
                     known=frozenset(l.known for l in leaves if isinstance(l, model.Known)))
    if isinstance(node, model.StepNode):
        return Ahead(steps=frozenset(node.steps))
    if isinstance(node, model.ServicesNode):
        table = pack.tables.get(node.table or "")
        rows = frozenset(r.service for r in table.rows) if table else frozenset()
        return Ahead(reads=frozenset(table.inputs) if table else frozenset(),
                     services=rows | frozenset(node.services))
    return Ahead()


class Places:
    """What may happen from each (pathway, node) onwards, through `goto`s, for one pack."""

    def __init__(self, pack: model.Pack) -> None:
        self.pack = pack
        self.pathway_total = cache(self._pathway_total)
        self._by_pathway = cache(self._pathway_after)
        self._ahead: dict[tuple[object, ...], Ahead] = {}

    def after(self, pathway_id: str, node_id: str) -> Ahead:
        """Return what may happen from this node on, including pathways it hands over to."""
        return self._by_pathway(pathway_id)[node_id]

    def _pathway_after(self, pathway_id: str) -> dict[str, Ahead]:
        """Return `after` for every node of a pathway at once: each node's own part joined with
        its successors', repeated until nothing grows (a loop needs more than one pass)."""
        nodes = self.pack.pathways[pathway_id].node_map
        own = {}
        for node_id, node in nodes.items():
            own[node_id] = _own(self.pack, node)
            if isinstance(node, model.GotoNode) and node.pathway in self.pack.pathways:
                own[node_id] |= self.pathway_total(node.pathway)
        succ = {n: [t for _, t in graph.targets(node) if t in nodes] for n, node in nodes.items()}
        order, looped = _postorder(succ)
        after = dict(own)
        changed = True
        while changed:  # successors come first in `order`: without a loop one pass is enough
            changed = False
            for node_id in order:
                joined = after[node_id]
                for target in succ[node_id]:
                    joined |= after[target]
                if joined != after[node_id]:
                    after[node_id], changed = joined, True
            changed = changed and looped
        return after

    def _pathway_total(self, pathway_id: str) -> Ahead:
        """Return what may happen in a pathway, and in any pathway it hands over to."""
        seen, todo, found = {pathway_id}, [pathway_id], Ahead()
        while todo:
            for node in self.pack.pathways[todo.pop()].node_map.values():
                found |= _own(self.pack, node)
                if isinstance(node, model.GotoNode) and node.pathway not in seen \
                        and node.pathway in self.pack.pathways:
                    seen.add(node.pathway)
                    todo.append(node.pathway)
        return found

    def ahead(self, pathway_id: str, node_id: str,
              returns: tuple[tuple[str, str], ...]) -> Ahead:
        """Return what may happen from a node, then from each place the walk returns to."""
        where = (pathway_id, node_id, returns)
        if where not in self._ahead:
            found = self.after(pathway_id, node_id)
            for back_pathway, back_node in returns:
                found |= self.after(back_pathway, back_node)
            self._ahead[where] = found
        return self._ahead[where]

    def future(self, walk: engine.Walk) -> tuple[tuple[object, ...], Ahead]:
        """Return what decides how a paused walk can go on, and what may happen ahead of it.

        Two walks with the same first part wait at the same question, will return to the same
        places, and agree on every fact a node ahead may read (only on whether it is known,
        where that is all a node uses): every answer takes them the same way, adding the same
        steps and services.
        """
        assert walk.pending is not None
        ahead = self.ahead(walk.pending.pathway, walk.pending.node, walk.returns)
        facts = frozenset((f, v if f in ahead.reads else None) for f, v in walk.facts.items()
                          if f in ahead.reads or f in ahead.known)
        return (walk.pending.pathway, walk.pending.node, walk.returns, facts), ahead


def _postorder(succ: dict[str, list[str]]) -> tuple[list[str], bool]:
    """Return the nodes with every node after all it leads to (where there is no loop), and
    whether there is a loop."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    looped = False
    for root in succ:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
            elif state[child] == 1:
                looped = True
    return order, looped
