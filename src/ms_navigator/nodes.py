"""Node types declared once: for each, where it can go, what it reads and asks, what it adds.

The engine, the graph checks, integrity, `ahead` (and so the invariant search and `impact`) and
the diagrams read these declarations rather than each testing node types for themselves. To add
a node type: its model in `model.py`, one `Kind` here, its action in `engine._Walker`, and its
look in each renderer (`render/terminal.py`, `render/diagram.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ms_navigator import conditions, model

Loc = tuple[Any, ...]
"""Where a value sits inside a node, as a path of keys (for `file:line:col`)."""


@dataclass(frozen=True)
class Footprint:
    """What a node may do, or everything that may still happen from a place on."""

    reads: frozenset[str] = frozenset()
    """Facts whose value a node may use."""
    known: frozenset[str] = frozenset()
    """Facts of which a node may use only whether they are known yet (their value aside)."""
    asks: frozenset[str] = frozenset()
    """Facts a question may ask."""
    steps: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()

    def __or__(self, other: Footprint) -> Footprint:
        """Return what either may do. A part that one side already holds in full is shared,
        not copied: along a pathway most nodes add nothing new to what follows them, and
        copying every set at every node made what lies ahead quadratic in a long pathway's
        length (31 MB for the 10,000-node synthetic pack; docs/performance.md)."""
        if other is self or other is NOTHING:  # most nodes (guidance, branches) do nothing
            return self
        if self is NOTHING:
            return other
        reads, known = _union(self.reads, other.reads), _union(self.known, other.known)
        asks, steps = _union(self.asks, other.asks), _union(self.steps, other.steps)
        services = _union(self.services, other.services)
        if (reads is self.reads and known is self.known and asks is self.asks
                and steps is self.steps and services is self.services):
            return self
        return Footprint(reads, known, asks, steps, services)


def _union(mine: frozenset[str], theirs: frozenset[str]) -> frozenset[str]:
    """Return the union of two sets, as one of them where it contains the other."""
    if theirs <= mine:
        return mine
    return theirs if mine <= theirs else mine | theirs


NOTHING = Footprint()

Reference = tuple[str, str, Loc]
"""(kind of thing, its id, where the node names it): "fact", "step", "service", "table",
"pathway"; node ids are `targets`."""


@dataclass(frozen=True)
class Kind:
    """One node type's declaration."""

    targets: Callable[[Any], Iterator[tuple[Loc, str]]]
    """Every node this one can go to in its pathway, with where the node names it."""
    footprint: Callable[[model.Pack, Any], Footprint]
    """What the node itself reads, asks and adds to a plan (not counting where it goes)."""
    references: Callable[[Any], Iterator[Reference]]
    """Every id of the directory or of a pathway the node names."""
    conditions: Callable[[Any], Iterator[tuple[Loc, model.Condition]]] = lambda node: iter(())
    """Every condition the node tests, with where it sits."""
    calls: Callable[[Any], str | None] = lambda node: None
    """The pathway the node hands over to, if it does."""
    leaves: Callable[[Any], bool] = lambda node: False
    """Whether the walk can leave the pathway here (an end, or a hand-over with no way back)."""


def _next(node: Any) -> Iterator[tuple[Loc, str]]:
    if node.next is not None:
        yield ("next",), node.next


def _none(node: Any) -> Iterator[Any]:
    return iter(())


def _question_targets(node: model.QuestionNode) -> Iterator[tuple[Loc, str]]:
    for i, option in enumerate(node.options):
        yield ("options", i, "next"), option.next


def _question_footprint(pack: model.Pack, node: model.QuestionNode) -> Footprint:
    # Asked if unknown, followed if known; the value only matters if the options part ways,
    # or leave a value out (a walk with that value already known cannot go on).
    fact = frozenset({node.fact})
    parts_ways = len({o.next for o in node.options}) > 1
    covered = {o.value for o in node.options} >= set(pack.facts[node.fact].allowed())
    # The facts that follow from this one (policy `implies`) become known with its answer.
    return Footprint(reads=fact if parts_ways or not covered else frozenset(), known=fact,
                     asks=fact | implied(pack, fact))


def implied(pack: model.Pack, facts: frozenset[str]) -> frozenset[str]:
    """Return the facts the policy's `implies` may make known once any of `facts` is known."""
    found: set[str] = set()
    for rule in pack.policy.implies:
        if conditions.facts_read(rule.when) & facts:
            found |= set(rule.facts)
    return frozenset(found)


def _step_footprint(pack: model.Pack, node: model.StepNode) -> Footprint:
    # A step's effects read the facts their conditions test, to know whether they apply.
    reads: set[str] = set()
    known: set[str] = set()
    for step_id in node.steps:
        step = pack.steps.get(step_id)
        for effect in step.effects if step is not None else ():
            if effect.when is not None:
                values, only_known = conditions.reads(effect.when)
                reads |= values
                known |= only_known
    return Footprint(reads=frozenset(reads), known=frozenset(known), steps=frozenset(node.steps))


def _goto_footprint(pack: model.Pack, node: model.GotoNode) -> Footprint:
    # Entering a pathway makes known what it says of its reader (its `reader`).
    called = pack.pathways.get(node.pathway)
    reader = frozenset(called.reader if called is not None else ())
    return Footprint(asks=reader | implied(pack, reader)) if reader else NOTHING


def _question_references(node: model.QuestionNode) -> Iterator[Reference]:
    yield "fact", node.fact, ("fact",)


def _branch_targets(node: model.BranchNode) -> Iterator[tuple[Loc, str]]:
    for i, route in enumerate(node.routes):
        yield ("routes", i, "next"), route.next
    if node.otherwise is not None:
        yield ("otherwise",), node.otherwise


def _branch_conditions(node: model.BranchNode) -> Iterator[tuple[Loc, model.Condition]]:
    for i, route in enumerate(node.routes):
        yield ("routes", i, "when"), route.when


def _branch_footprint(pack: model.Pack, node: model.BranchNode) -> Footprint:
    found = NOTHING
    for _, cond in _branch_conditions(node):
        values, known = conditions.reads(cond)
        found |= Footprint(reads=values, known=known)
    return found


def table_reads(pack: model.Pack, table: model.EligibilityTable) -> frozenset[str]:
    """Return the facts a table reads, from its columns and rows: always the status its columns
    stand for, the gender only where a row says whom it serves, and what rows' `when` read."""
    inputs = pack.policy.table_inputs
    gendered = any(row.genders is not None for row in table.rows)
    conditioned = (conditions.facts_read(row.when) for row in table.rows if row.when is not None)
    return frozenset({inputs.status, *([inputs.gender] if gendered else [])}.union(*conditioned))


def _services_footprint(pack: model.Pack, node: model.ServicesNode) -> Footprint:
    table = pack.tables.get(node.table or "")
    if table is None:
        return Footprint(services=frozenset(node.services))
    return Footprint(reads=table_reads(pack, table),
                     services=frozenset(r.service for r in table.rows) | frozenset(node.services))


def _services_references(node: model.ServicesNode) -> Iterator[Reference]:
    if node.table is not None:
        yield "table", node.table, ("table",)
    for i, service in enumerate(node.services):
        yield "service", service, ("services", i)


def _step_references(node: model.StepNode) -> Iterator[Reference]:
    for i, step in enumerate(node.steps):
        yield "step", step, ("steps", i)


def _goto_references(node: model.GotoNode) -> Iterator[Reference]:
    yield "pathway", node.pathway, ("pathway",)


KINDS: dict[type, Kind] = {
    model.QuestionNode: Kind(_question_targets, _question_footprint, _question_references),
    model.StepNode: Kind(_next, _step_footprint, _step_references),
    model.InfoNode: Kind(_next, lambda pack, node: NOTHING, _none),
    model.ServicesNode: Kind(_next, _services_footprint, _services_references),
    model.BranchNode: Kind(_branch_targets, _branch_footprint, _none,
                           conditions=_branch_conditions),
    model.GotoNode: Kind(_next, _goto_footprint, _goto_references,
                         calls=lambda node: node.pathway, leaves=lambda node: node.next is None),
    model.EndNode: Kind(_none, lambda pack, node: NOTHING, _none, leaves=lambda node: True),
}


def kind(node: Any) -> Kind:
    """Return the declaration of a node's type."""
    return KINDS[type(node)]


def targets(node: Any) -> Iterator[tuple[Loc, str]]:
    """Yield (location in the node, node id) for every node this one can go to in its pathway."""
    return kind(node).targets(node)


def answered_next(node: Any, facts: dict[str, str]) -> str | None:
    """Return where a question goes when its fact is already known (the engine skips it and
    follows that answer); None for another node, or a fact not known or fitting no option."""
    if not isinstance(node, model.QuestionNode) or node.fact not in facts:
        return None
    return next((o.next for o in node.options if o.value == facts[node.fact]), None)


def footprint(pack: model.Pack, node: Any) -> Footprint:
    """Return what a node itself reads, asks and adds to a plan."""
    return kind(node).footprint(pack, node)


def references(node: Any) -> Iterator[Reference]:
    """Yield every directory or pathway id a node names, with where it names it."""
    return kind(node).references(node)


def tests(node: Any) -> Iterator[tuple[Loc, model.Condition]]:
    """Yield every condition a node tests, with where it sits in the node."""
    return kind(node).conditions(node)


def calls(node: Any) -> str | None:
    """Return the pathway a node hands over to, or None."""
    return kind(node).calls(node)


def leaves(node: Any) -> bool:
    """Return whether the walk can leave the pathway at this node."""
    return kind(node).leaves(node)
