"""Housing (protocol 4.5) and skills and employment (4.4): the route each answer must give."""

from __future__ import annotations

import re

import pytest

from ms_navigator import model
from tests.helpers import assert_next, every_path, plan_for

ADULT = {"immediate_danger": "no", "under_18": "no", "organisation": "general",
         "care_support_needs": "no", "has_capacity": "yes"}
HOUSING_DUTIES = {"housing_relief_interim", "housing_prevention", "housing_assessment"}


def _housing(pack: model.Pack, **answers: str) -> list[str]:
    """Return the step ids of a plan made by entering the housing pathway directly."""
    return plan_for(pack, {**ADULT, **answers}, start="housing").step_ids()


def test_homeless_and_not_in_the_nrm_gets_enquiries_interim_accommodation_and_safeplace(pack) -> None:
    plan = plan_for(pack, {**ADULT, "housing_situation": "homeless", "housing_eligibility": "eligible",
                           "nrm_status": "not_referred"}, start="housing")
    steps = plan.step_ids()
    for step in ("housing_refer_and_apply", "housing_relief_interim",
                 "housing_assessment", "consider_nrm"):
        assert step in steps
    # one step says where to stay tonight: the interim accommodation step, in the words of
    # the emergency options for a person not in the NRM
    assert "housing_emergency" not in steps
    relief = next(p.step for p in plan.steps if p.step.id == "housing_relief_interim")
    assert "SafePlace" in relief.summary and "SafePlace" in relief.text
    assert "later consents to an NRM referral" in " ".join(relief.text.split())
    assert "housing_prevention" not in steps and "nrm_accommodation" not in steps
    assert plan.service_ids() == ["wmasn-safeplace"]


def test_at_risk_gets_the_prevention_duty_not_interim_accommodation(pack) -> None:
    steps = _housing(pack, housing_situation="at_risk", housing_eligibility="eligible",
                     nrm_status="not_referred")
    assert "housing_prevention" in steps and "housing_refer_and_apply" in steps
    assert not {"housing_relief_interim", "housing_emergency"} & set(steps)


@pytest.mark.parametrize("status", ["awaiting_rg", "positive_rg"])
def test_in_the_nrm_gets_msvcc_accommodation_not_emergency_options(pack, status: str) -> None:
    plan = plan_for(pack, {**ADULT, "housing_situation": "homeless", "housing_eligibility": "eligible",
                           "nrm_status": status}, start="housing")
    assert "nrm_accommodation" in plan.step_ids()
    assert "housing_emergency" not in plan.step_ids()
    assert "wmasn-safeplace" not in plan.service_ids()


def test_positive_conclusive_grounds_gets_move_on(pack) -> None:
    steps = _housing(pack, housing_situation="homeless", housing_eligibility="eligible",
                     nrm_status="positive_cg")
    assert "move_on_support" in steps  # one step: the move-on period and the housing duty it starts
    assert "housing_move_on" not in steps
    assert "housing_emergency" not in steps and "nrm_accommodation" not in steps


@pytest.mark.parametrize("status", ["negative_rg", "negative_cg"])
def test_after_a_negative_decision_destitution_support_and_emergency_options(pack, status: str) -> None:
    plan = plan_for(pack, {**ADULT, "housing_situation": "homeless", "housing_eligibility": "eligible",
                           "nrm_status": status}, start="housing")
    assert {"destitution_support", "housing_relief_interim"} <= set(plan.step_ids())
    assert "housing_emergency" not in plan.step_ids()  # the interim accommodation step stands for it
    relief = next(p.step for p in plan.steps if p.step.id == "housing_relief_interim")
    assert "support after the negative decision" in " ".join(relief.text.split())
    assert "wmasn-safeplace" not in plan.service_ids()  # protocol 4.3: not-in-NRM column only


def test_unknown_status_is_confirmed_and_lists_no_status_dependent_service(pack) -> None:
    plan = plan_for(pack, {**ADULT, "housing_situation": "homeless", "housing_eligibility": "eligible",
                           "nrm_status": "unknown"}, start="housing")
    assert "confirm_nrm_status" in plan.step_ids()
    assert plan.service_ids() == []


def test_not_eligible_goes_to_the_care_act_and_localism_act_route_only(pack) -> None:
    steps = _housing(pack, housing_situation="homeless", housing_eligibility="not_eligible",
                     nrm_status="not_referred")
    assert {"housing_not_eligible", "legal_advice", "housing_refer_and_apply"} <= set(steps)
    assert not HOUSING_DUTIES & set(steps)


def test_after_a_positive_decision_one_step_sends_the_person_to_legal_advice(pack) -> None:
    """Immigration advice after a positive Conclusive Grounds decision stands for the general
    legal advice the housing route adds, and carries its points (issue 13)."""
    plan = plan_for(pack, {**ADULT, "nrm_status": "positive_cg", "sexual_exploitation": "yes", "gender": "female",
                           "housing_situation": "homeless", "housing_eligibility": "not_eligible"},
                    start="nrm-post")
    steps = plan.step_ids()
    assert "housing_not_eligible" in steps or "human_rights_assessment" in steps
    assert "immigration_leave" in steps and "legal_advice" not in steps
    leave = next(p for p in plan.steps if p.step.id == "immigration_leave")
    assert [s.id for s in leave.replaced] == ["legal_advice"]
    text = " ".join(leave.step.text.split())
    for point in ("Nationality and Borders Act 2022 s65", "immigration legal advice",
                  "criminal charge linked to their exploitation", "Modern Slavery Act 2015 s45",
                  "challenging a decision"):
        assert point in text


def test_eligibility_unsure_plans_for_both_routes(pack) -> None:
    steps = _housing(pack, housing_situation="homeless", housing_eligibility="unsure",
                     nrm_status="not_referred")
    assert {"housing_not_eligible", "housing_relief_interim"} <= set(steps)


def test_housed_asks_nothing_more_and_gets_only_the_watch_step(pack) -> None:
    assert_next(pack, {**ADULT, "housing_situation": "housed"}, None, start="housing")
    assert _housing(pack, housing_situation="housed") == ["housing_keep_safe"]  # with the closure order


@pytest.mark.parametrize("situation", ["homeless", "at_risk"])
def test_lacking_capacity_goes_to_adult_social_care_never_an_application(pack, situation: str) -> None:
    steps = _housing(pack, housing_situation=situation, has_capacity="no")
    assert {"housing_lacks_capacity", "safeguarding_adults"} <= set(steps)
    assert "housing_refer_and_apply" not in steps


def test_capacity_unsure_is_assessed_before_any_application(pack) -> None:
    steps = _housing(pack, housing_situation="homeless", has_capacity="unsure")
    assert steps == ["housing_capacity_first"]


def test_specialist_support_sends_homeless_to_housing_then_skills(pack) -> None:
    answers = {**ADULT, "nrm_status": "awaiting_rg", "sexual_exploitation": "yes", "gender": "male",
               "housing_situation": "homeless", "housing_eligibility": "eligible"}
    plan = plan_for(pack, answers, start="specialist-support")
    assert plan.pathways == ("preamble", "specialist-support", "housing", "skills-employment")
    assert {"msvcc", "adult-education", "job-shop"} <= set(plan.service_ids())


def test_specialist_support_skips_housing_for_someone_safely_housed(pack) -> None:
    answers = {**ADULT, "nrm_status": "awaiting_rg", "sexual_exploitation": "yes", "gender": "male", "housing_situation": "housed"}
    plan = plan_for(pack, answers, start="specialist-support")
    assert plan.pathways == ("preamble", "specialist-support", "skills-employment")
    assert "housing_eligibility" not in plan.facts


@pytest.mark.parametrize("start", ["identification", "specialist-support", "housing", "skills-employment"])
def test_a_child_never_reaches_an_adult_route(pack, start: str) -> None:
    children = 0
    for outcome in every_path(pack, start):
        if outcome.plan.facts.get("under_18") in ("yes", "unsure"):
            children += 1
            plan = outcome.plan
            # The preamble, then the start pathway itself; after the age question it hands over
            # to nrm-pre.
            after = [p for p in plan.pathways if p != "preamble"][1:]
            assert not {"housing", "skills-employment", "specialist-support"} & set(after)
            assert "nrm-pre" in plan.pathways
            assert "housing_situation" not in plan.facts
            assert not [s for s in plan.step_ids() if s.startswith("housing_") or s == "offer_skills_support"]
            assert not {"adult-education", "job-shop"} & set(plan.service_ids())
    assert children > 0


def _skills_texts(pack: model.Pack) -> list[str]:
    """Return every piece of 4.4 wording a user can read."""
    pathway = pack.pathway("skills-employment")
    texts = [pathway.title, pathway.summary]
    texts += [f"{n.title} {n.text}" for n in pathway.nodes if isinstance(n, model.InfoNode)]
    texts += [pack.services[s].offers for s in ("adult-education", "job-shop")]
    texts.append(pack.steps["offer_skills_support"].text)
    return texts


def test_courses_are_only_ever_said_to_be_mostly_free(pack) -> None:
    said = 0
    for text in _skills_texts(pack):
        flat = " ".join(text.split()).lower()
        for match in re.finditer(r"\bfree\b", flat):
            said += 1
            assert re.search(r"most (adult education )?courses are $", flat[:match.start()]), flat
    assert said >= 3


def test_the_adult_education_conditions_are_all_listed(pack) -> None:
    # In the skills step's detail, not guidance on every plan (issue 13)
    info = " ".join(pack.steps["offer_skills_support"].text.split())
    for condition in ("born before 31/08/2005", "living in the UK legally for at least the last 3 years",
                      "Settled Status", "is a refugee", "discretionary leave to remain",
                      "Ukrainian or Afghan schemes", "asylum seeker", "more than 6 months"):
        assert condition in info
    for course in ("Maths", "English", "Digital Skills", "ESOL", "Learning for Life", "Learning for Work"):
        assert course in info
    for offer in ("1 to 1 job coaching", "direct vacancies", "careers advice", "money advice",
                  "health and wellbeing support", "every Coventry resident"):
        assert offer in info
    assert "confirms who qualifies this year" in info


def test_the_skills_guidance_is_short(pack) -> None:
    notes = [n for n in pack.pathway("skills-employment").nodes if isinstance(n, model.InfoNode)]
    assert len(notes) == 1
    assert len(f"{notes[0].title} {notes[0].text}".split()) <= 60


def test_the_merged_housing_steps_keep_every_point(pack) -> None:
    relief = " ".join(pack.steps["housing_relief_interim"].text.split())
    for point in ("interim accommodation today", "s188(1)", "The threshold is low", "relief duty",
                  "s189B", "at least 6 months", "personalised housing plan", "only on eligibility"):
        assert point in relief
    assert pack.steps["housing_relief_interim"].urgency is model.Urgency.TODAY
    step = pack.steps["housing_assessment"]
    text = " ".join(step.text.split())
    for point in ("not automatically in priority need", "s189(1)(c)", "re-trafficking", "Article 4",
                  "s189(1)(e)", "domestic abuse", "care leaver aged 18 to 20", "s206",
                  "gender-specific needs", "Equality Act 2010 s149", "s198(2) and (2A)",
                  "not make them intentionally homeless (s191)", "within 21 days (s202)",
                  "chapter 25 of the Homelessness Code of Guidance", "25.1 to 25.3"):
        assert point in text
    assert step.confidence is model.Confidence.UNVERIFIED and step.check_with
    for cited in ("written question 47272", "Order 2002 art 4", "Domestic Abuse Act 2021", "2.2.7",
                  "2.2.10", "ss189(1)(c) and (e), 191, 198(2)-(2A), 202 and 206",
                  "chapters 9, 10, 19 and 25"):
        assert cited in step.source


# What housing_closure_order said (issue 13: it is now part of the step planned with it on every
# path, housing_assessment for a person homeless or at risk, housing_keep_safe for one housed).
CLOSURE_ORDER = ("If exploiters are using the person's home (cuckooing)",
                 "the council's anti-social behaviour team", "a closure notice and order",
                 "keep everyone out except the people who live there",
                 "alongside safeguarding the resident")


@pytest.mark.parametrize("step_id", ["housing_assessment", "housing_keep_safe"])
def test_the_closure_order_keeps_every_point_in_the_steps_that_carry_it(pack, step_id: str) -> None:
    assert "housing_closure_order" not in pack.steps
    step = pack.steps[step_id]
    text = " ".join(step.text.split())
    for point in CLOSURE_ORDER:
        assert point in text
    assert "closure order" in step.summary and "exploiters use" in step.summary
    assert "police-101" in step.contacts
    for cited in ("1.5 (", "partial closure order", "Anti-social Behaviour, Crime and Policing Act 2014 ss76-80"):
        assert cited in step.source
    # the rest of housing_keep_safe is still there
    if step_id == "housing_keep_safe":
        for point in ("come back to the Housing pathway", "within 56 days", "ss175(3)-(4) and 177(1)"):
            assert point in text or point in step.source


@pytest.mark.parametrize("situation", ["homeless", "at_risk", "housed"])
def test_every_housing_route_for_a_person_with_capacity_mentions_the_closure_order(
        pack, situation: str) -> None:
    plan = plan_for(pack, {**ADULT, "housing_situation": situation, "housing_eligibility": "eligible",
                           "nrm_status": "not_referred"}, start="housing")
    assert any("closure notice and order" in p.step.text for p in plan.steps), plan.step_ids()


@pytest.mark.parametrize("status", ["not_referred", "negative_rg", "unknown"])
def test_not_eligible_and_homeless_still_gets_the_emergency_options(pack, status: str) -> None:
    steps = _housing(pack, housing_situation="homeless", housing_eligibility="not_eligible",
                     nrm_status=status)
    assert "housing_emergency" in steps and "housing_relief_interim" not in steps
