"""What may still happen from a place in the pathways: facts read or asked, steps, services.

The invariant search and `explore.Endings` use it to merge paths: a fact no node ahead reads
no longer matters (and, for the search, an invariant that nothing ahead can break or mend is
settled). Every answer is an
over-approximation (all the nodes reachable, whatever the answers), which is safe: it can only
keep apart two states that could have been merged, never merge two that differ.
"""

from __future__ import annotations

from functools import cache

from ms_navigator import engine, model, nodes

Ahead = nodes.Footprint
"""Everything that may happen from a place onwards (what each node may do, joined)."""


class Places:
    """What may happen from each (pathway, node) onwards, through `goto`s, for one pack."""

    def __init__(self, pack: model.Pack) -> None:
        self.pack = pack
        self.pathway_total = cache(self._pathway_total)
        self._by_pathway = cache(self._pathway_after)
        self._ahead: dict[tuple[object, ...], Ahead] = {}
        self._given: dict[tuple[object, ...], Ahead] = {}
        self._reached: dict[tuple[object, ...], Ahead] = {}
        self.overridable = frozenset(fact for step in pack.steps.values()
                                     for effect in step.effects for fact in effect.assume)
        """Facts a planned step's effect can change later in a walk (`assume`): the only facts
        known now that a question ahead might not follow."""

    def after(self, pathway_id: str, node_id: str) -> Ahead:
        """Return what may happen from this node on, including pathways it hands over to."""
        return self._by_pathway(pathway_id)[node_id]

    def _pathway_after(self, pathway_id: str) -> dict[str, Ahead]:
        """Return `after` for every node of a pathway at once: each node's own part joined with
        its successors', repeated until nothing grows (a loop needs more than one pass)."""
        pathway_nodes = self.pack.pathways[pathway_id].node_map
        own = {}
        for node_id, node in pathway_nodes.items():
            own[node_id] = nodes.footprint(self.pack, node)
            called = nodes.calls(node)
            if called is not None and called in self.pack.pathways:
                own[node_id] |= self.pathway_total(called)
        succ = {n: [t for _, t in nodes.targets(node) if t in pathway_nodes] for n, node in pathway_nodes.items()}
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
                found |= nodes.footprint(self.pack, node)
                called = nodes.calls(node)
                if called is not None and called not in seen and called in self.pack.pathways:
                    seen.add(called)
                    todo.append(called)
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

    def given(self, pathway_id: str, node_id: str, returns: tuple[tuple[str, str], ...],
              settled: frozenset[tuple[str, str]]) -> Ahead:
        """Return what may happen from a node, then from each place the walk returns to, when
        the `settled` answers cannot change: a question ahead on one of them is skipped as the
        engine skips it, so what lies only behind its other answers is left out. (A pathway
        that a child's answer alone hands over to no longer holds an adult's walk's facts.)"""
        where = (pathway_id, node_id, returns, settled)
        if where not in self._given:
            facts = dict(settled)
            found = self._reach(pathway_id, node_id, facts, settled, frozenset())
            for back_pathway, back_node in returns:
                found |= self._reach(back_pathway, back_node, facts, settled, frozenset())
            self._given[where] = found
        return self._given[where]

    def _reach(self, pathway_id: str, node_id: str, facts: dict[str, str],
               settled: frozenset[tuple[str, str]], entered: frozenset[str]) -> Ahead:
        """Return what may happen from a node on, through `goto`s, with `facts` fixed. A
        pathway met again inside itself counts as `after` does, whatever the facts: never
        less than may happen, so what is kept here is safe to reuse from anywhere."""
        key = (pathway_id, node_id, settled)
        if key in self._reached:
            return self._reached[key]
        if pathway_id in entered:
            return self.after(pathway_id, node_id)
        inside = entered | {pathway_id}
        pathway_nodes = self.pack.pathways[pathway_id].node_map
        found, todo, seen = nodes.NOTHING, [node_id], {node_id}
        while todo:
            node = pathway_nodes[todo.pop()]
            found |= nodes.footprint(self.pack, node)
            called = nodes.calls(node)
            if called is not None and called in self.pack.pathways:
                found |= self._reach(called, self.pack.pathways[called].start, facts, settled,
                                     inside)
            answered = nodes.answered_next(node, facts)
            for target in [answered] if answered else [t for _, t in nodes.targets(node)]:
                if target in pathway_nodes and target not in seen:
                    seen.add(target)
                    todo.append(target)
        self._reached[key] = found
        return found

    def future(self, walk: engine.Walk) -> tuple[tuple[object, ...], Ahead]:
        """Return what decides how a paused walk can go on, and what may happen ahead of it.

        Two walks with the same first part wait at the same question, will return to the same
        places, and agree on every fact a node ahead may read (only on whether it is known,
        where that is all a node uses): every answer takes them the same way, adding the same
        steps and services.
        """
        assert walk.pending is not None
        where = (walk.pending.pathway, walk.pending.node, walk.returns)
        ahead = self.ahead(*where)
        settled = frozenset((f, v) for f, v in walk.seen.items()
                            if f in ahead.asks and f not in self.overridable)
        if settled:
            ahead = self.given(*where, settled)
        facts = frozenset((f, v if f in ahead.reads else None) for f, v in walk.seen.items()
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
