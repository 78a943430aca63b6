"""Reference integrity of a pack: every id that is used points at something that exists.

These checks run on every load, not only in `lint`: the engine relies on them, so a pack that
fails them is never run. (Duplicate ids are found by the loader as it indexes the files.)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ms_navigator import conditions, model, nodes, ruleids
from ms_navigator.problems import Level, Problem

if TYPE_CHECKING:
    from ms_navigator.loader import SourceIndex


def check(pack: model.Pack, index: SourceIndex) -> list[Problem]:
    """Return every reference in the pack that points at nothing."""
    found = [*_policy(pack, index), *_directory(pack, index), *_table(pack, index),
             *_invariants(pack, index)]
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


def _policy(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    policy = pack.policy
    if policy.entry not in pack.pathways:
        yield _missing(index, "policy", "policy", ("entry",), ruleids.UNKNOWN_PATHWAY, "pathway",
                       policy.entry, pack.pathways)
    if policy.first_step not in pack.steps:
        yield _missing(index, "policy", "policy", ("first_step",), ruleids.UNKNOWN_STEP, "step",
                       policy.first_step, pack.steps)
    for name in ("status", "gender"):
        fact = getattr(policy.table_inputs, name)
        if fact not in pack.facts:
            yield _missing(index, "policy", "policy", ("table_inputs", name), ruleids.UNKNOWN_FACT,
                           "fact", fact, pack.facts)
    if policy.preamble is not None and policy.preamble not in pack.pathways:
        yield _missing(index, "policy", "policy", ("preamble",), ruleids.UNKNOWN_PATHWAY,
                       "pathway", policy.preamble, pack.pathways)
    for i, rule in enumerate(policy.implies):
        yield from _condition(pack, index, "policy", "policy", rule.when, ("implies", i, "when"))
        yield from _settings(pack, index, "policy", "policy", rule.facts, ("implies", i, "facts"))


def _settings(pack: model.Pack, index: SourceIndex, kind: str, key: str,
              facts: dict[str, str], at: tuple[Any, ...]) -> Iterator[Problem]:
    """Check a mapping of fact to value (what a reader, an implication or an effect sets)."""
    for fact, value in facts.items():
        if fact not in pack.facts:
            yield _missing(index, kind, key, at + (fact,), ruleids.UNKNOWN_FACT, "fact", fact,
                           pack.facts)
        elif value not in pack.facts[fact].allowed():
            yield _missing(index, kind, key, at + (fact,), ruleids.UNKNOWN_VALUE,
                           f"value of {fact}", value, pack.facts[fact].allowed())


def _directory(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for service in pack.services.values():
        if service.contact not in pack.contacts:
            yield _missing(index, "service", service.id, ("contact",), ruleids.UNKNOWN_CONTACT,
                           "contact", service.contact, pack.contacts)
    for step in pack.steps.values():
        for i, contact in enumerate(step.contacts):
            if contact not in pack.contacts:
                yield _missing(index, "step", step.id, ("contacts", i), ruleids.UNKNOWN_CONTACT,
                               "contact", contact, pack.contacts)
        for i, before in enumerate(step.after):
            if before not in pack.steps:
                yield _missing(index, "step", step.id, ("after", i), ruleids.UNKNOWN_STEP,
                               "step", before, pack.steps)
        if step.mentions is not None:
            yield from _items(pack, index, "step", step.id, step.mentions, ("mentions",))
        yield from _step_language(pack, index, step)


def _items(pack: model.Pack, index: SourceIndex, kind: str, key: str, items: model.Items,
           at: tuple[Any, ...]) -> Iterator[Problem]:
    """Report each step and service of a group (or of what a step mentions) that is not in
    the pack."""
    for field, known, rule, what in (("steps", pack.steps, ruleids.UNKNOWN_STEP, "step"),
                                     ("services", pack.services, ruleids.UNKNOWN_SERVICE, "service"),
                                     ("contacts", pack.contacts, ruleids.UNKNOWN_CONTACT, "contact")):
        for i, ref in enumerate(getattr(items, field)):
            if ref not in known:
                yield _missing(index, kind, key, (*at, field, i), rule, what, ref, known)


def _step_language(pack: model.Pack, index: SourceIndex, step: model.StepDef) -> Iterator[Problem]:
    """Check what a step replaces, what it makes true and the words it has for some readers."""
    for i, gone in enumerate(step.replaces):
        if gone not in pack.steps:
            yield _missing(index, "step", step.id, ("replaces", i), ruleids.UNKNOWN_STEP, "step",
                           gone, pack.steps)
    for i, effect in enumerate(step.effects):
        if effect.when is not None:
            yield from _condition(pack, index, "step", step.id, effect.when, ("effects", i, "when"))
        yield from _settings(pack, index, "step", step.id, effect.assume, ("effects", i, "assume"))
    for i, variant in enumerate(step.variants):
        yield from _condition(pack, index, "step", step.id, variant.when, ("variants", i, "when"))
        for j, contact in enumerate(variant.contacts or ()):
            if contact not in pack.contacts:
                yield _missing(index, "step", step.id, ("variants", i, "contacts", j),
                               ruleids.UNKNOWN_CONTACT, "contact", contact, pack.contacts)


def _table(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for table in pack.tables.values():
        columns = {c.id for c in table.columns}
        inputs = pack.policy.table_inputs
        status = pack.facts.get(inputs.status)
        allowed = set(status.allowed()) if status else set()
        gender = pack.facts.get(inputs.gender)
        genders = set(gender.allowed()) if gender else set()
        for c, col in enumerate(table.columns):
            for v, value in enumerate(col.nrm_status):
                if value not in allowed:
                    yield _missing(index, "table", table.id, ("columns", c, "nrm_status", v),
                                   ruleids.UNKNOWN_VALUE, f"value of {inputs.status}", value, allowed)
        for v, value in enumerate(table.status_unknown.values):
            if value not in allowed:
                yield _missing(index, "table", table.id, ("status_unknown", "values", v),
                               ruleids.UNKNOWN_VALUE, f"value of {inputs.status}", value, allowed)
        for r, row in enumerate(table.rows):
            if row.service not in pack.services:
                yield _missing(index, "table", table.id, ("rows", r, "service"),
                               ruleids.UNKNOWN_SERVICE, "service", row.service, pack.services)
            for column in row.cells:
                if column not in columns:
                    yield _missing(index, "table", table.id, ("rows", r, "cells", column),
                                   ruleids.UNKNOWN_COLUMN, "column", column, columns)
            for value in row.genders or {}:
                if value not in genders:
                    yield _missing(index, "table", table.id, ("rows", r, "genders", value),
                                   ruleids.UNKNOWN_VALUE, f"value of {inputs.gender}", value, genders)
            if row.when is not None:
                yield from _condition(pack, index, "table", table.id, row.when, ("rows", r, "when"))


def _invariants(pack: model.Pack, index: SourceIndex) -> Iterator[Problem]:
    for inv in pack.invariants.values():
        if inv.when is not None:
            yield from _condition(pack, index, "invariant", inv.id, inv.when, ("when",))
        need = inv.require
        for field, known, rule, what in (("steps", pack.steps, ruleids.UNKNOWN_STEP, "step"),
                                         ("no_steps", pack.steps, ruleids.UNKNOWN_STEP, "step"),
                                         ("services", pack.services, ruleids.UNKNOWN_SERVICE, "service"),
                                         ("no_services", pack.services, ruleids.UNKNOWN_SERVICE, "service"),
                                         ("not_asked", pack.facts, ruleids.UNKNOWN_FACT, "fact")):
            for i, ref in enumerate(getattr(need, field)):
                if ref not in known:
                    yield _missing(index, "invariant", inv.id, ("require", field, i), rule, what,
                                   ref, known)
        if need.first_step is not None and need.first_step not in pack.steps:
            yield _missing(index, "invariant", inv.id, ("require", "first_step"), ruleids.UNKNOWN_STEP,
                           "step", need.first_step, pack.steps)
        for field in ("never_together", "only_when", "mentions"):
            for i, items in enumerate(getattr(need, field)):
                yield from _items(pack, index, "invariant", inv.id, items, ("require", field, i))
        for i, only in enumerate(need.only_when):
            yield from _condition(pack, index, "invariant", inv.id, only.when,
                                  ("require", "only_when", i, "when"))
        for i, mention in enumerate(need.mentions):
            if mention.by_step not in pack.steps:
                yield _missing(index, "invariant", inv.id, ("require", "mentions", i, "by_step"),
                               ruleids.UNKNOWN_STEP, "step", mention.by_step, pack.steps)


def _pathway(pack: model.Pack, pathway: model.Pathway, index: SourceIndex) -> Iterator[Problem]:
    ids = pathway.node_map
    yield from _settings(pack, index, "pathway", pathway.id, pathway.reader, ("reader",))
    if pathway.start not in ids:
        yield _missing(index, "pathway", pathway.id, ("start",), ruleids.UNKNOWN_NODE, "node",
                       pathway.start, ids)
    for node in pathway.nodes:
        key = f"{pathway.id}/{node.id}"
        for sub, target in nodes.targets(node):
            if target not in ids:
                yield _missing(index, "node", key, sub, ruleids.UNKNOWN_NODE, "node", target, ids)
        for what, ref, loc in nodes.references(node):
            known = _known(pack, what)
            if ref not in known:
                yield _missing(index, "node", key, loc, _UNKNOWN[what], what, ref, known)
            elif isinstance(node, model.QuestionNode):  # its fact exists: check its values
                yield from _options(pack, node, key, index)
        for loc, cond in nodes.tests(node):
            yield from _condition(pack, index, "node", key, cond, loc)


def _condition(pack: model.Pack, index: SourceIndex, kind: str, key: str,
               cond: model.Condition, at: tuple[Any, ...]) -> Iterator[Problem]:
    """Check every fact and value a condition (a branch route's or an invariant's) names."""
    for test, loc in conditions.leaves(cond, at):
        if isinstance(test, model.FactIn):
            yield from _fact_values(pack, index, key, loc, test.fact, test.in_, "in", kind)
        elif test.known not in pack.facts:
            yield _missing(index, kind, key, loc + ("known",), ruleids.UNKNOWN_FACT, "fact",
                           test.known, pack.facts)


_UNKNOWN = {"fact": ruleids.UNKNOWN_FACT, "step": ruleids.UNKNOWN_STEP,
            "service": ruleids.UNKNOWN_SERVICE, "table": ruleids.UNKNOWN_TABLE,
            "pathway": ruleids.UNKNOWN_PATHWAY}
"""The rule that reports a name of each kind that points at nothing."""


def _known(pack: model.Pack, what: str) -> dict[str, Any]:
    """Return the ids of one kind of thing a node can name."""
    known: dict[str, dict[str, Any]] = {"fact": pack.facts, "step": pack.steps,
                                        "service": pack.services, "table": pack.tables,
                                        "pathway": pack.pathways}
    return known[what]


def _options(pack: model.Pack, node: model.QuestionNode, key: str,
             index: SourceIndex) -> Iterator[Problem]:
    """Report each option whose value the question's fact does not allow."""
    allowed = pack.facts[node.fact].allowed()
    for i, option in enumerate(node.options):
        if option.value not in allowed:
            yield _missing(index, "node", key, ("options", i, "value"), ruleids.UNKNOWN_VALUE,
                           f"value of {node.fact}", option.value, allowed)


def _fact_values(pack: model.Pack, index: SourceIndex, key: str, loc: tuple[Any, ...],
                 fact: str, values: list[str], field: str,
                 kind: str = "node") -> Iterator[Problem]:
    if fact not in pack.facts:
        yield _missing(index, kind, key, loc + ("fact",), ruleids.UNKNOWN_FACT, "fact", fact, pack.facts)
        return
    allowed = pack.facts[fact].allowed()
    for i, value in enumerate(values):
        if value not in allowed:
            yield _missing(index, kind, key, loc + (field, i), ruleids.UNKNOWN_VALUE,
                           f"value of {fact}", value, allowed)
