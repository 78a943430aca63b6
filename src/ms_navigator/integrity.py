"""Reference integrity of a pack: every id that is used points at something that exists.

These checks run on every load, not only in `lint`: the engine relies on them, so a pack that
fails them is never run. (Duplicate ids are found by the loader as it indexes the files.)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ms_navigator import graph, model
from ms_navigator.problems import Level, Problem

if TYPE_CHECKING:
    from ms_navigator.loader import SourceIndex


def check(pack: model.Pack, index: SourceIndex) -> list[Problem]:
    """Return every reference in the pack that points at nothing."""
    found = [*_directory(pack, index), *_table(pack, index), *_invariants(pack, index)]
    for pathway in pack.pathways.values():
        found.extend(_pathway(pack, pathway, index))
    return found


def _missing(index: SourceIndex, kind: str, item: str, sub: tuple[Any, ...], rule: str,
             what: str, ref: str, known: Any) -> Problem:
    """Return the problem of a reference to nothing: the likely id if there is one, else the
    known ids when they are few."""
    close = difflib.get_close_matches(str(ref), [str(k) for k in known], n=1, cutoff=0.6)
    choices = ", ".join(sorted(known))
    hint = (f" Did you mean '{close[0]}'?" if close
            else f" Known: {choices}." if len(choices) < 200 else "")
    return index.problem(kind, item, sub, rule, f"unknown {what} '{ref}'.{hint}", Level.ERROR)


def _directory(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for service in pack.services.values():
        if service.contact not in pack.contacts:
            yield _missing(index, "service", service.id, ("contact",), "unknown-contact",
                           "contact", service.contact, pack.contacts)
    for step in pack.steps.values():
        for i, contact in enumerate(step.contacts):
            if contact not in pack.contacts:
                yield _missing(index, "step", step.id, ("contacts", i), "unknown-contact",
                               "contact", contact, pack.contacts)


def _table(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for table in pack.tables.values():
        columns = {c.id for c in table.columns}
        for name in table.inputs:
            if name not in pack.facts:
                yield _missing(index, "table", table.id, ("inputs",), "unknown-fact", "fact",
                               name, pack.facts)
        status = pack.facts.get("nrm_status")
        allowed = set(status.allowed()) if status else set()
        gender = pack.facts.get("gender")
        genders = set(gender.allowed()) if gender else set()
        for c, column in enumerate(table.columns):
            for v, value in enumerate(column.nrm_status):
                if value not in allowed:
                    yield _missing(index, "table", table.id, ("columns", c, "nrm_status", v),
                                   "unknown-value", "value of nrm_status", value, allowed)
        for v, value in enumerate(table.status_unknown.values):
            if value not in allowed:
                yield _missing(index, "table", table.id, ("status_unknown", "values", v),
                               "unknown-value", "value of nrm_status", value, allowed)
        for r, row in enumerate(table.rows):
            if row.service not in pack.services:
                yield _missing(index, "table", table.id, ("rows", r, "service"),
                               "unknown-service", "service", row.service, pack.services)
            for column in row.cells:
                if column not in columns:
                    yield _missing(index, "table", table.id, ("rows", r, "cells", column),
                                   "unknown-column", "column", column, columns)
            for value in row.genders or {}:
                if value not in genders:
                    yield _missing(index, "table", table.id, ("rows", r, "genders", value),
                                   "unknown-value", "value of gender", value, genders)


def _invariants(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for inv in pack.invariants.values():
        yield from _condition(pack, index, "invariant", inv.id, inv.when, ("when",))
        need = inv.require
        for field, known, rule, what in (("steps", pack.steps, "unknown-step", "step"),
                                         ("no_steps", pack.steps, "unknown-step", "step"),
                                         ("services", pack.services, "unknown-service", "service"),
                                         ("no_services", pack.services, "unknown-service", "service"),
                                         ("not_asked", pack.facts, "unknown-fact", "fact")):
            for i, ref in enumerate(getattr(need, field)):
                if ref not in known:
                    yield _missing(index, "invariant", inv.id, ("require", field, i), rule, what,
                                   ref, known)
        if need.first_step is not None and need.first_step not in pack.steps:
            yield _missing(index, "invariant", inv.id, ("require", "first_step"), "unknown-step",
                           "step", need.first_step, pack.steps)


def _pathway(pack: model.Pack, pathway: model.Pathway, index: SourceIndex) -> Iterator[Problem]:
    nodes = pathway.node_map
    if pathway.start not in nodes:
        yield _missing(index, "pathway", pathway.id, ("start",), "unknown-node", "node",
                       pathway.start, nodes)
    for node in pathway.nodes:
        key = f"{pathway.id}/{node.id}"
        for sub, target in graph.targets(node):
            if target not in nodes:
                yield _missing(index, "node", key, sub, "unknown-node", "node", target, nodes)
        if isinstance(node, model.QuestionNode):
            yield from _question(pack, node, key, index)
        elif isinstance(node, model.StepNode):
            for i, step in enumerate(node.steps):
                if step not in pack.steps:
                    yield _missing(index, "node", key, ("steps", i), "unknown-step", "step",
                                   step, pack.steps)
        elif isinstance(node, model.ServicesNode):
            if node.table is not None and node.table not in pack.tables:
                yield _missing(index, "node", key, ("table",), "unknown-table", "table",
                               node.table, pack.tables)
            for i, service in enumerate(node.services):
                if service not in pack.services:
                    yield _missing(index, "node", key, ("services", i), "unknown-service",
                                   "service", service, pack.services)
        elif isinstance(node, model.GotoNode) and node.pathway not in pack.pathways:
            yield _missing(index, "node", key, ("pathway",), "unknown-pathway", "pathway",
                           node.pathway, pack.pathways)
        elif isinstance(node, model.BranchNode):
            for r, route in enumerate(node.routes):
                yield from _condition(pack, index, "node", key, route.when, ("routes", r, "when"))


def _condition(pack: model.Pack, index: SourceIndex, kind: str, key: str,
               cond: model.Condition, at: tuple[Any, ...]) -> Iterator[Problem]:
    """Check every fact and value a condition (a branch route's or an invariant's) names."""
    for test, loc in graph.condition_leaves(cond, at):
        if isinstance(test, model.FactIn):
            yield from _fact_values(pack, index, key, loc, test.fact, test.in_, "in", kind)
        elif test.known not in pack.facts:
            yield _missing(index, kind, key, loc + ("known",), "unknown-fact", "fact",
                           test.known, pack.facts)


def _question(pack: model.Pack, node: model.QuestionNode, key: str,
              index: SourceIndex) -> Iterator[Problem]:
    if node.fact not in pack.facts:
        yield _missing(index, "node", key, ("fact",), "unknown-fact", "fact", node.fact, pack.facts)
        return
    allowed = pack.facts[node.fact].allowed()
    for i, option in enumerate(node.options):
        if option.value not in allowed:
            yield _missing(index, "node", key, ("options", i, "value"), "unknown-value",
                           f"value of {node.fact}", option.value, allowed)


def _fact_values(pack: model.Pack, index: SourceIndex, key: str, loc: tuple[Any, ...],
                 fact: str, values: list[str], field: str,
                 kind: str = "node") -> Iterator[Problem]:
    if fact not in pack.facts:
        yield _missing(index, kind, key, loc + ("fact",), "unknown-fact", "fact", fact, pack.facts)
        return
    allowed = pack.facts[fact].allowed()
    for i, value in enumerate(values):
        if value not in allowed:
            yield _missing(index, kind, key, loc + (field, i), "unknown-value",
                           f"value of {fact}", value, allowed)
