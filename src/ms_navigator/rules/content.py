"""Rules on content a policy lead must keep fresh: review dates, contact checks, blank text, unused items."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from ms_navigator import model, nodes, ruleids
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule

CONTACT_MAX_AGE = timedelta(days=365)
"""A verified contact not re-checked for a year may have changed its number."""

_TEXT_FIELDS = ("title", "text", "source", "why", "help", "summary", "audience", "label", "name")


@rule(ruleids.REVIEW_DATE_PAST, Level.WARNING)
def review_date_past(ctx: Context) -> Iterator[Problem]:
    """A pathway whose `review_date` has passed: its advice may be out of date.

    FAIL:
        review_date: 2020-01-31
    PASS:
        review_date: 2027-05-31    # a date still to come

    Fix: review the pathway against the current protocol, then set the next review date.
    """
    for pathway in ctx.pack.pathways.values():
        if pathway.review_date < ctx.today:
            yield ctx.problem("pathway", pathway.id, ("review_date",),
                              f"the review date {pathway.review_date} has passed: review this pathway.")


REVIEW_NOTICE = timedelta(days=60)
"""How long before a review date lint starts to say it is coming, so that no CI fails by surprise."""


@rule(ruleids.REVIEW_DATE_NEAR, Level.INFO)
def review_date_near(ctx: Context) -> Iterator[Problem]:
    """A pathway whose `review_date` is less than 60 days away: plan the review now.

    A note, never a failure (not even with --strict): it gives a pack's CI two months' notice
    before `review-date-past` warns.

    FAIL:
        review_date: 2027-05-31    # linted on 2027-05-01
    PASS:
        review_date: 2027-05-31    # linted on 2027-01-01

    Fix: review the pathway against the current protocol, then set the next review date.
    """
    for pathway in ctx.pack.pathways.values():
        if ctx.today <= pathway.review_date < ctx.today + REVIEW_NOTICE:
            days = (pathway.review_date - ctx.today).days
            yield ctx.problem("pathway", pathway.id, ("review_date",),
                              f"the review date {pathway.review_date} is {days} day(s) away: "
                              "plan the review.")


@rule(ruleids.CONTACT_STALE, Level.WARNING)
def contact_stale(ctx: Context) -> Iterator[Problem]:
    """A contact marked `verified: true` with no `last_verified` date, or one over a year old.

    Officers act on these numbers; a verified number must say when it was last checked.

    FAIL:
        - id: ms-helpline
          phone: "08000 121 700"
          verified: true
    PASS:
          verified: true
          last_verified: 2026-11-01

    Fix: check the details against the source, then set `last_verified` to today.
    """
    for contact in ctx.pack.contacts.values():
        if not contact.verified:
            continue
        if contact.last_verified is None:
            yield ctx.problem("contact", contact.id, ("verified",),
                              f"contact '{contact.id}' is verified but has no last_verified date.")
        elif ctx.today - contact.last_verified > CONTACT_MAX_AGE:
            yield ctx.problem("contact", contact.id, ("last_verified",),
                              f"contact '{contact.id}' was last verified on {contact.last_verified}, "
                              "over a year ago: check it again.")


@rule(ruleids.EMPTY_TEXT, Level.ERROR)
def empty_text(ctx: Context) -> Iterator[Problem]:
    """Text, a title or a `source` made only of spaces: the user would see nothing, or no basis.

    FAIL:
        source: "   "
    PASS:
        source: Coventry Protocol 4.2.1

    Fix: write the text, or cite the protocol section or guidance it rests on.
    """
    for pathway in ctx.pack.pathways.values():
        for node in pathway.node_map.values():
            fields = node.__dict__  # a field a node kind lacks: no slow attribute fallback
            for name in _TEXT_FIELDS:
                value = fields.get(name)
                if isinstance(value, str) and not value.strip():
                    yield ctx.problem("node", f"{pathway.id}/{node.id}", (name,),
                                      f"'{name}' is blank.")
    for step in ctx.pack.steps.values():
        for name in ("summary", "text", "source"):
            if not getattr(step, name).strip():
                yield ctx.problem("step", step.id, (name,), f"'{name}' is blank.")


INTERNAL_LABELS = re.compile(
    r"reference notes|\(V2?\)|\(V2?[,:;]|\bUNVERIFIED\b|\bCONTRACT\b|statutory-guidance-facts|"
    r"review-findings")
"""Marks of the project's working notes. What a user reads cites public documents, never these."""

_MAYBE_LABEL = re.compile(
    r"reference notes|\(V|UNVERIFIED|CONTRACT|statutory-guidance-facts|review-findings")
"""INTERNAL_LABELS without its word boundaries: it finds every label in a pathway's JSON too,
where a line break before a word is written `\\n` (no boundary there). A pathway whose JSON it
does not match holds no label, and its texts need not be read one by one (one search of
the JSON pydantic writes is several times faster than walking the fields in Python)."""


def user_texts(pack: model.Pack,
               leave_out: frozenset[str] = frozenset()) -> Iterator[tuple[str, str, tuple[Any, ...], str]]:
    """Yield (kind, item, key path, text) for every string of the pack that some user reads.

    Every string field of every item: questions, options, steps, services, contacts, facts,
    sources as cited, table labels and notes, invariants (policy leads read them in lint);
    the pathways in `leave_out` are not read.
    """
    items: list[tuple[str, str, Any]] = [
        *(("fact", i, x) for i, x in pack.facts.items()),
        *(("contact", i, x) for i, x in pack.contacts.items()),
        *(("service", i, x) for i, x in pack.services.items()),
        *(("step", i, x) for i, x in pack.steps.items()),
        *(("source", i, x) for i, x in pack.sources.items()),
        *(("table", i, x) for i, x in pack.tables.items()),
        *(("invariant", i, x) for i, x in pack.invariants.items()),
        *(("pathway", i, x.model_copy(update={"nodes": []})) for i, x in pack.pathways.items()
          if i not in leave_out),
        *(("node", f"{p.id}/{n.id}", n) for p in pack.pathways.values() if p.id not in leave_out
          for n in p.nodes),
    ]
    for kind, item, value in items:
        for sub, text in _strings(value, ()):
            yield kind, item, sub, text


def _strings(value: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _strings(getattr(value, name), at + (info.alias or name,))
    elif isinstance(value, (list, tuple)):
        for i, inner in enumerate(value):
            yield from _strings(inner, at + (i,))
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, at + (key,))


@rule(ruleids.INTERNAL_LABEL, Level.ERROR)
def internal_label(ctx: Context) -> Iterator[Problem]:
    """Text a user reads carries a mark of the project's working notes.

    Steps, services, contacts, questions, guidance and every cited source are read by officers
    on a visit and printed in plans; they must cite public documents a reader can open (the
    protocol section, an Act and section, a statutory guidance paragraph, a GOV.UK page), never
    working notes or their labels: "reference notes", "(V)", "(V2)", "UNVERIFIED", "CONTRACT".
    Where a fact could not be confirmed, set `confidence: unverified` and `check_with`: the
    reader then sees "Not confirmed: check with ...".

    FAIL:
        source: "protocol 4.1"
        text: Call 999 (V).
    PASS:
        text: Call 999.
        confidence: unverified
        check_with: the Modern Slavery Lead

    Fix: cite the public document by its id in directory/sources.yaml, and say in plain words
    what is not confirmed.
    """
    clean = frozenset(i for i, x in ctx.pack.pathways.items()
                      if not _MAYBE_LABEL.search(x.model_dump_json()))
    for kind, item, sub, text in user_texts(ctx.pack, clean):
        found = INTERNAL_LABELS.search(text)
        if found:
            yield ctx.problem(kind, item, sub[:1],
                              f"'{found.group(0)}' is an internal label: users must read only "
                              "public sources and plain words.")


@rule(ruleids.UNVERIFIED_WITHOUT_CHECK, Level.ERROR)
def unverified_without_check(ctx: Context) -> Iterator[Problem]:
    """A step or service marked `confidence: unverified` that does not say who confirms it.

    The reader sees "Not confirmed: check with ..." under it; without `check_with` they would
    not know whom to ask.

    FAIL:
        confidence: unverified
    PASS:
        confidence: unverified
        check_with: the Modern Slavery Lead

    Fix: add `check_with`, naming who can confirm it (a role, not a person).
    """
    for kind, items in (("step", ctx.pack.steps), ("service", ctx.pack.services)):
        for item in items.values():
            if item.confidence is model.Confidence.UNVERIFIED and not item.check_with:
                yield ctx.problem(kind, item.id, ("confidence",),
                                  f"the {kind} '{item.id}' is unverified but has no check_with.")


def _used(pack: model.Pack) -> tuple[set[str], set[str], set[str]]:
    """Return the ids of steps, services and contacts that some pathway or table uses."""
    steps: set[str] = set()
    services = {row.service for table in pack.tables.values() for row in table.rows}
    for pathway in pack.pathways.values():
        for node in pathway.node_map.values():
            for what, ref, _ in nodes.references(node):
                if what == "step":
                    steps.add(ref)
                elif what == "service":
                    services.add(ref)
    contacts = {c for s in steps if s in pack.steps for c in pack.steps[s].contacts}
    contacts |= {pack.services[s].contact for s in services if s in pack.services}
    return steps, services, contacts


@rule(ruleids.UNUSED_ITEM, Level.WARNING, cross_file=True, complete=True)
def unused_item(ctx: Context) -> Iterator[Problem]:
    """A step, service or contact that no pathway (or the eligibility table) ever uses.

    FAIL:
        steps.yaml defines `report_to_gla`, but no step node lists it
    PASS:
        - {id: s_gla, type: step, steps: [report_to_gla], next: done, ...}

    Fix: use it in a pathway, or delete it if it is no longer advice.
    """
    steps, services, contacts = _used(ctx.pack)
    for kind, defined, used in (("step", ctx.pack.steps, steps),
                                ("service", ctx.pack.services, services),
                                ("contact", ctx.pack.contacts, contacts)):
        for item in defined:
            if item not in used:
                yield ctx.problem(kind, item, ("id",), f"the {kind} '{item}' is never used.")


@rule(ruleids.STEP_ORDER, Level.ERROR)
def step_order(ctx: Context) -> Iterator[Problem]:
    """A step's `after` that cannot order the plan: it goes round in a circle, or names a step
    that is less urgent, which the plan always lists later anyway.

    The plan lists steps by urgency; within an urgency a step comes after the steps its
    `after` names. "Find out the NRM status before referring" is one such order.

    FAIL:
        - id: refer_nrm
          urgency: today
          after: [confirm_nrm_status]
        - id: confirm_nrm_status
          urgency: today
          after: [refer_nrm]
    PASS:
        - id: refer_nrm
          urgency: today
          after: [confirm_nrm_status]
        - id: confirm_nrm_status
          urgency: today

    Fix: say which of the two must come first, once; make a step that must come first at
    least as urgent as the steps that wait for it.
    """
    steps = ctx.pack.steps
    rank = {u: i for i, u in enumerate(model.Urgency)}
    for step in steps.values():
        for i, before in enumerate(step.after):
            other = steps.get(before)
            if other is None:
                continue  # unknown-step says so
            if rank[other.urgency] > rank[step.urgency]:
                yield ctx.problem("step", step.id, ("after", i),
                                  f"'{step.id}' ({step.urgency.value}) waits for '{before}', "
                                  f"which is less urgent ({other.urgency.value}): the plan lists "
                                  "it later whatever `after` says.")
            elif step.id in _waits_for(steps, before):
                yield ctx.problem("step", step.id, ("after", i),
                                  f"'{step.id}' and '{before}' each wait for the other "
                                  "(through `after`): say once which comes first.")


def _waits_for(steps: dict[str, model.StepDef], start: str) -> set[str]:
    """Return every step that `start` waits for, directly or through others (`after`)."""
    found: set[str] = set()
    todo = [start]
    while todo:
        current = steps.get(todo.pop())
        for before in current.after if current else ():
            if before not in found:
                found.add(before)
                todo.append(before)
    return found
