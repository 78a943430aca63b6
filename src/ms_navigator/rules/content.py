"""Rules on content a policy lead must keep fresh: review dates, contact checks, blank text, unused items."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

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
            for name in _TEXT_FIELDS:
                value = getattr(node, name, None)
                if isinstance(value, str) and not value.strip():
                    yield ctx.problem("node", f"{pathway.id}/{node.id}", (name,),
                                      f"'{name}' is blank.")
    for step in ctx.pack.steps.values():
        for name in ("text", "source"):
            if not getattr(step, name).strip():
                yield ctx.problem("step", step.id, (name,), f"'{name}' is blank.")


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
