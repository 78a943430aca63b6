"""What a condition means: the one three-valued evaluator (true, false, not yet known).

Every reader of a condition uses this module: the engine at a branch, the invariant search on
paths part-way, the lint rules that enumerate a branch's combinations, and `ahead` (through
`reads`) to know which facts a condition can depend on.

A fact in `facts` has its value. A fact not answered is either *open* (it may still be answered
before the condition is judged: the condition reading it is not yet known, None) or *not asked*
(it will not be answered by then). A `known` test of a fact not asked is false. A `{fact, in}`
test of a fact not asked is `unasked`: false by the invariants' convention ("a fact that was
never asked makes `{fact, in}` false", docs/authoring.md), or None where reading a value nobody
gave is itself the problem (the engine at a branch: a content bug). `all`, `any` and `not`
combine the three values as Kleene's logic does: one false decides `all`, one true decides `any`.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from typing import Any, Union

from ms_navigator import model

Truth = Union[bool, None]
"""True, False, or None: not yet known."""

Leaf = Union[model.FactIn, model.Known]


def evaluate(cond: model.Condition, facts: Mapping[str, str],
             open_facts: Container[str] = frozenset(), unasked: Truth = False) -> Truth:
    """Return whether a condition holds on these facts: True, False or None (not yet known)."""
    if isinstance(cond, model.FactIn):
        if cond.fact in facts:
            return facts[cond.fact] in cond.in_
        return None if cond.fact in open_facts else unasked
    if isinstance(cond, model.Known):
        if cond.known in facts:
            return True
        return None if cond.known in open_facts else False
    if isinstance(cond, model.NotOf):
        inner = evaluate(cond.not_, facts, open_facts, unasked)
        return None if inner is None else not inner
    decisive = isinstance(cond, model.AnyOf)  # any: one True decides; all: one False decides
    parts = cond.any if isinstance(cond, model.AnyOf) else cond.all
    undecided = False
    for part in parts:
        value = evaluate(part, facts, open_facts, unasked)
        if value is decisive:
            return decisive
        undecided = undecided or value is None
    return None if undecided else not decisive


def leaves(cond: model.Condition, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Leaf, tuple[Any, ...]]]:
    """Yield every test that reads a fact (`fact in values`, `known`) inside a condition, with
    its location in the condition."""
    if isinstance(cond, (model.FactIn, model.Known)):
        yield cond, loc
    elif isinstance(cond, model.AllOf):
        for i, sub in enumerate(cond.all):
            yield from leaves(sub, (*loc, "all", i))
    elif isinstance(cond, model.AnyOf):
        for i, sub in enumerate(cond.any):
            yield from leaves(sub, (*loc, "any", i))
    else:
        yield from leaves(cond.not_, (*loc, "not"))


def leaf_fact(leaf: Leaf) -> str:
    """Return the fact a test reads."""
    return leaf.fact if isinstance(leaf, model.FactIn) else leaf.known


def reads(cond: model.Condition) -> tuple[frozenset[str], frozenset[str]]:
    """Return the facts whose value the condition reads, and those of which it reads only
    whether they are known."""
    found = [leaf for leaf, _ in leaves(cond)]
    return (frozenset(leaf.fact for leaf in found if isinstance(leaf, model.FactIn)),
            frozenset(leaf.known for leaf in found if isinstance(leaf, model.Known)))


def facts_read(cond: model.Condition) -> set[str]:
    """Return every fact a condition reads (its value, or only whether it is known)."""
    return {leaf_fact(leaf) for leaf, _ in leaves(cond)}
