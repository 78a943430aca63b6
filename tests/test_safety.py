"""The safety rules of CONTRACT section 3, checked on every path of every shipped pathway.

Not a sample: `explore.outcomes` enumerates every combination of answers a user can give,
from the start of each pathway, and each resulting plan is checked against every rule.
"""

from __future__ import annotations

import pytest

from ms_navigator import engine, model, plans
from tests.helpers import every_path, shipped

PACK = shipped()
CHILD = {"yes", "unsure"}
IN_NRM = {"awaiting_rg", "positive_rg", "negative_rg", "positive_cg", "negative_cg"}
LABELS = ("reference notes", "(V)", "(V2)", "UNVERIFIED", "CONTRACT")


def _rules(facts: dict[str, str], plan: engine.Plan) -> list[str]:
    """Return every broken rule for one outcome (empty when the plan is safe)."""
    steps = plan.step_ids()
    broken = []
    danger = facts.get("immediate_danger") == "yes"
    if danger and steps[:1] != ["call_999"]:
        broken.append("call_999 must be the first step when there is immediate danger")
    if not danger and "call_999" in steps:
        broken.append("call_999 without immediate danger")
    child = facts.get("under_18") in CHILD
    in_nrm = facts.get("nrm_status") in IN_NRM
    if child:
        for needed in ("safeguarding_children", "child_police_now") + (() if in_nrm else ("refer_nrm",)):
            if needed not in steps:
                broken.append(f"a child (or age unsure) must get {needed}")
        if in_nrm and "refer_nrm" in steps:
            broken.append("a child already in the NRM is never referred again")
        if "consent_nrm" in facts:
            broken.append("a child must never be asked for consent")
        if "notify_dtn" in steps:
            broken.append("a child is referred, never only notified")
    elif "safeguarding_children" in steps:
        broken.append("safeguarding_children for an adult")
    if facts.get("consent_nrm") == "yes" and ("refer_nrm" not in steps or "notify_dtn" in steps):
        broken.append("an adult who consents gets refer_nrm and no notify_dtn")
    if facts.get("consent_nrm") == "no" and ("notify_dtn" not in steps or "refer_nrm" in steps):
        broken.append("an adult who does not consent gets notify_dtn and no refer_nrm")
    if not child and "refer_nrm" in steps and facts.get("consent_nrm") != "yes":
        broken.append("an adult is referred without consent")
    if facts.get("nrm_status") == "unknown" and "confirm_nrm_status" not in steps:
        broken.append("unknown NRM status needs confirm_nrm_status")
    if (facts.get("under_18") == "no" and facts.get("care_support_needs") in ("yes", "unsure")
            and "safeguarding_adults" not in steps):
        broken.append("an adult who may have care and support needs gets safeguarding_adults")
    if facts.get("nrm_status") == "unknown":
        # adult-education and job-shop (protocol 4.4) are outside the NRM table: open whatever
        # the NRM status turns out to be.
        everywhere = {"wmasn-imsa", "adavu", "hope-for-justice", "sophie-hayes", "kairos",
                      "medaille-moving-on", "adult-education", "job-shop"}
        if not set(plan.service_ids()) <= everywhere:
            broken.append("with unknown NRM status only services open at every stage are listed")
    if facts.get("has_capacity") in ("no", "unsure"):
        if "consent_nrm" in facts:
            broken.append("consent is asked while capacity is in doubt or lacking")
        if {"notify_dtn", "housing_refer_and_apply"} & set(steps):
            broken.append("a step rests on the decision of a person whose capacity is in doubt")
    for planned in plan.steps:
        if not planned.step.source.strip():
            broken.append(f"step {planned.step.id} has no source")
        broken += [f"step {planned.step.id} shows {label}" for label in _shown(planned.step, *planned.contacts)]
    for offer in plan.offers:
        broken += [f"service {offer.service.id} shows {label}" for label in _shown(offer.service, offer.contact)]
    return broken


_SHOWN: dict[tuple[int, ...], tuple[tuple[object, ...], list[str]]] = {}


def _shown(item: model.StepDef | model.Service, *contacts: model.Contact) -> list[str]:
    """Return the labels a step or a service shows with these contacts: the same on every path
    that gives them (a pack is immutable), so read once for the run however many plans do (the
    objects are kept with the answer, so their ids are never reused)."""
    key = (id(item), *map(id, contacts))
    if key not in _SHOWN:
        if isinstance(item, model.StepDef):
            read = " ".join([item.text, item.source] + [c.describe() + c.source for c in contacts])
        else:
            read = " ".join([item.name, item.offers, item.source, *(c.describe() for c in contacts)])
        _SHOWN[key] = ((item, *contacts), [label for label in LABELS if label in read])
    return _SHOWN[key][1]


@pytest.mark.parametrize("start", PACK.starts)
def test_safety_rules_hold_on_every_path(start: str) -> None:
    count = 0
    for outcome in every_path(PACK, start):
        count += 1
        broken = _rules(outcome.plan.facts, outcome.plan)
        assert not broken, f"answers {dict(outcome.answers)} break: {broken}"
    assert count > 1


def test_the_rule_checker_catches_a_broken_plan() -> None:
    """The checker itself can fail: a child plan without refer_nrm is reported."""
    facts = {"immediate_danger": "yes", "under_18": "unsure", "organisation": "general",
             "criminal_exploitation": "no"}
    plan = plans.run_scripted(PACK, None, facts)
    stripped = engine.Plan(plan.facts, plan.pathways,
                           tuple(s for s in plan.steps if s.step.id not in ("refer_nrm", "call_999")),
                           plan.offers, plan.guidance, plan.transcript)
    broken = _rules(facts, stripped)
    assert "a child (or age unsure) must get refer_nrm" in broken
    assert "call_999 must be the first step when there is immediate danger" in broken


def test_every_path_ends_in_a_plan_to_act_on() -> None:
    for start in PACK.starts:
        for outcome in every_path(PACK, start):
            plan = outcome.plan
            assert plan.steps or plan.offers, f"{start}: {dict(outcome.answers)} gives an empty plan"
