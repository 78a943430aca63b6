"""What may still happen from a place in the pathways: facts read or asked, steps, services.

The invariant search and `explore.Endings` use it to merge paths: a fact no node ahead reads
no longer matters (and, for the search, an invariant that nothing ahead can break or mend is
settled). Every answer is an
over-approximation (all the nodes reachable, whatever the answers), which is safe: it can only
keep apart two states that could have been merged, never merge two that differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TypeVar

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
        self._reached: dict[tuple[object, ...], dict[str, Ahead]] = {}
        self.overridable = frozenset(fact for step in pack.steps.values()
                                     for effect in step.effects for fact in effect.assume)
        """Facts a planned step's effect can change later in a walk (`assume`): the only facts
        known now that a question ahead might not follow."""
        self.handing_over = frozenset(
            fact for pathway in pack.pathways.values() for fact in _handing_over(pathway))
        """Facts asked by a question some of whose answers alone hand over to another pathway:
        the only answers worth following past their question (`given`), since what a whole
        pathway reads is what following one answer can leave out."""

    def after(self, pathway_id: str, node_id: str) -> Ahead:
        """Return what may happen from this node on, including pathways it hands over to."""
        return self._by_pathway(pathway_id)[node_id]

    def _pathway_after(self, pathway_id: str) -> dict[str, Ahead]:
        """Return `after` for every node of a pathway at once: each node's own part joined with
        its successors'."""
        pathway_nodes = self.pack.pathways[pathway_id].node_map
        own = {}
        for node_id, node in pathway_nodes.items():
            own[node_id] = nodes.footprint(self.pack, node)
            called = nodes.calls(node)
            if called is not None and called in self.pack.pathways:
                own[node_id] |= self.pathway_total(called)
        return _joined(own, _successors(pathway_nodes))

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
            found = self._after_given(pathway_id, settled)[node_id]
            for back_pathway, back_node in returns:
                found |= self._after_given(back_pathway, settled)[back_node]
            self._given[where] = found
        return self._given[where]

    def _after_given(self, pathway_id: str, settled: frozenset[tuple[str, str]],
                     entered: frozenset[str] = frozenset()) -> dict[str, Ahead]:
        """Return `after` for every node of a pathway with the `settled` answers followed, as
        `_pathway_after` does without them: one pass over the pathway for each set of those
        answers that its questions (and those of the pathways it hands over to) ask. A pathway
        met again inside itself counts in full, so the result is never less than may happen."""
        settled = frozenset((f, v) for f, v in settled if f in self.pathway_total(pathway_id).asks)
        key = (pathway_id, settled)
        if key in self._reached:
            return self._reached[key]
        if not settled or pathway_id in entered:
            return self._by_pathway(pathway_id)
        facts = dict(settled)
        inside = entered | {pathway_id}
        pathway_nodes = self.pack.pathways[pathway_id].node_map
        own = {}
        succ: dict[str, list[str]] = {}
        for node_id, node in pathway_nodes.items():
            own[node_id] = nodes.footprint(self.pack, node)
            called = nodes.calls(node)
            if called is not None and called in self.pack.pathways:
                start = self.pack.pathways[called].start
                own[node_id] |= self._after_given(called, settled, inside)[start]
            answered = nodes.answered_next(node, facts)
            succ[node_id] = [t for t in ([answered] if answered else
                                         [t for _, t in nodes.targets(node)])
                             if t in pathway_nodes]
        after = _joined(own, succ)
        self._reached[key] = after
        return after

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
        seen = walk.seen
        settled = frozenset((f, v) for f, v in seen.items() if f in ahead.asks
                            and f in self.handing_over and f not in self.overridable
                            ) if self.handing_over else frozenset()
        if settled:
            ahead = self.given(*where, settled)
        reads, known = ahead.reads, ahead.known
        facts = frozenset((f, v if f in reads else None) for f, v in seen.items()
                          if f in reads or f in known)
        return (walk.pending.pathway, walk.pending.node, walk.returns, facts), ahead


def _handing_over(pathway: model.Pathway) -> Iterator[str]:
    """Yield the facts of the pathway's questions from which some answer reaches a `goto` that
    another answer does not reach (within the pathway)."""
    node_map = pathway.node_map
    gotos = {n: frozenset([n]) if nodes.calls(node) else frozenset() for n, node in node_map.items()}
    if not any(gotos.values()):  # hands over nowhere
        return
    reach = _joined(gotos, _successors(node_map))
    for node in node_map.values():
        if isinstance(node, model.QuestionNode):
            parts = [reach[o.next] for o in node.options if o.next in reach]
            if parts and frozenset().union(*parts) != frozenset.intersection(*parts):
                yield node.fact


def _successors(node_map: Mapping[str, model.Node]) -> dict[str, list[str]]:
    """Return, for every node of a pathway, the nodes of the same pathway it can go to."""
    return {n: [t for _, t in nodes.targets(node) if t in node_map] for n, node in node_map.items()}


_Part = TypeVar("_Part", nodes.Footprint, frozenset[str])
"""What `_joined` joins: what may happen (`Ahead`), or a set of node ids."""


def _joined(own: dict[str, _Part], succ: dict[str, list[str]]) -> dict[str, _Part]:
    """Return, for every node, its own part joined with that of every node it leads to,
    repeated until nothing grows (a loop needs more than one pass)."""
    order, looped = _postorder(succ)
    after = dict(own)
    changed = True
    while changed:  # successors come first in `order`: without a loop one pass is enough
        changed = False
        for node_id in order:
            joined = was = after[node_id]
            for target in succ[node_id]:
                joined |= after[target]
            if joined is not was and joined != was:
                after[node_id], changed = joined, True
        changed = changed and looped
    return after


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
