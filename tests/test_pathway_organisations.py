"""The organisational pathways (protocol 4.6-4.9) and the routing to them.

Routing is checked answer by answer; the promises that matter most (the NHS never submits an
NRM referral itself, a child turning 18 is still referred without consent) are checked on
every path, because `explore.outcomes` enumerates every combination of answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ms_navigator import engine, explore
from ms_navigator.errors import InvalidAnswer
from tests.helpers import assert_next, every_path, plan_for, session_with, shipped

PACK = shipped()
ADULT = {"immediate_danger": "no", "under_18": "no"}
CHILD = {"immediate_danger": "no", "under_18": "yes"}
ORGANISATIONS = {
    "adult_social_care": "adult-social-care",
    "nhs": "health",
    "childrens_services": "transition",
    "trading_standards": "trading-standards",
}
SECTIONS = {"adult-social-care": "4.6", "health": "4.7", "transition": "4.8", "trading-standards": "4.9"}


def _paths(start: str, **given: str) -> Iterator[explore.Outcome]:
    """Yield every outcome from `start` whose facts include all of `given`."""
    for outcome in every_path(PACK, start):
        if all(outcome.plan.facts.get(k) == v for k, v in given.items()):
            yield outcome


def _pathways_after(answers: dict[str, str]) -> tuple[str, ...]:
    return engine.walk(PACK, session_with(PACK, answers)).pathways


# --- Routing ----------------------------------------------------------------------------------


def test_the_organisation_is_asked_after_the_two_safety_questions() -> None:
    assert_next(PACK, {"immediate_danger": "no"}, "under_18")
    assert_next(PACK, ADULT, "organisation")
    assert_next(PACK, CHILD, "organisation")


@pytest.mark.parametrize(("organisation", "pathway"), sorted(ORGANISATIONS.items()))
@pytest.mark.parametrize("age", ["no", "yes", "unsure"])
def test_each_organisation_reaches_its_own_pathway(organisation: str, pathway: str, age: str) -> None:
    pathways = _pathways_after({**ADULT, "under_18": age, "organisation": organisation})
    assert pathways[:2] == ("identification", pathway)


def test_general_follows_the_general_pathway_to_pre_nrm() -> None:
    pathways = _pathways_after({**ADULT, "organisation": "general", "care_support_needs": "no"})
    assert pathways == ("identification", "nrm-pre")
    assert not set(pathways) & set(ORGANISATIONS.values())


def test_a_child_with_a_general_organisation_still_gets_the_child_route() -> None:
    plan = plan_for(PACK, {**CHILD, "organisation": "general"})
    assert plan.pathways == ("identification", "nrm-pre")
    assert {"safeguarding_children", "refer_nrm"} <= set(plan.step_ids())


def test_childrens_services_with_a_child_reach_transition_not_only_the_generic_child_route() -> None:
    plan = plan_for(PACK, {**CHILD, "organisation": "childrens_services",
                           "care_support_needs": "no", "nrm_status": "positive_rg"})
    assert plan.pathways[:2] == ("identification", "transition")
    assert {"child_in_nrm", "safeguarding_children", "child_police_now", "nrm_consent_at_18",
            "transition_plan_before_18"} <= set(plan.step_ids())
    assert "refer_nrm" not in plan.step_ids()  # already in the NRM: never referred again


@pytest.mark.parametrize("pathway", sorted(SECTIONS))
def test_each_organisational_pathway_is_safe_to_enter_directly(pathway: str) -> None:
    assert PACK.pathway(pathway).section == SECTIONS[pathway]
    assert_next(PACK, {}, "immediate_danger", start=pathway)
    assert_next(PACK, {"immediate_danger": "yes"}, "under_18", start=pathway)


# --- 4.7 Health: the NHS is not a First Responder -----------------------------------------------


@pytest.mark.parametrize(("start", "given"), [("health", {}), ("identification", {"organisation": "nhs"})])
def test_the_nhs_never_submits_an_nrm_referral_itself(start: str, given: dict[str, str]) -> None:
    count = 0
    for outcome in _paths(start, **given):
        count += 1
        plan, steps = outcome.plan, set(outcome.plan.step_ids())
        where = dict(outcome.answers)
        assert plan.facts.get("first_responder") != "yes", where
        assert "stay_point_of_contact" not in steps, where
        assert "nhs_safeguarding_lead" in steps, where
        # One route to a First Responder: the safeguarding lead (it stands for the general
        # "ask a First Responder" step), and never "submit the online form".
        assert "ask_first_responder" not in steps, where
        assert plan.facts["first_responder"] == "no", where
        text = " ".join(s.step.text for s in plan.steps)
        assert "As the First Responder" not in text, where
        assert "submit the online form" not in text and "you (or its trained" not in text, where
    assert count > 10


def test_an_nhs_answers_file_that_claims_first_responder_is_refused() -> None:
    answers = {**ADULT, "organisation": "nhs", "care_support_needs": "no",
               "nrm_status": "not_referred", "first_responder": "yes"}
    with pytest.raises(InvalidAnswer, match="first_responder: yes, but the NHS in England is not "
                                            "a First Responder Organisation"):
        plan_for(PACK, answers)


def test_health_sees_the_patient_alone_with_a_professional_interpreter() -> None:
    plan = plan_for(PACK, {**ADULT, "care_support_needs": "no", "nrm_status": "positive_cg",
                           "gender": "male", "housing_situation": "housed"}, start="health")
    text = {s.step.id: s.step.text for s in plan.steps}
    assert "without anyone who came with them" in text["nhs_see_alone"]
    assert "never family, friends or anyone who came with them" in text["nhs_see_alone"]
    assert {"nhs_trauma_informed_care", "nhs_charging_and_gp", "nhs_charges_exempt",
            "nhs_in_nrm"} <= set(text)
    assert "refer_nrm" not in text


# --- 4.8 Transition to adulthood ----------------------------------------------------------------


def test_every_child_on_the_transition_pathway_is_referred_once_without_consent() -> None:
    count = 0
    for outcome in _paths("transition"):
        if outcome.plan.facts["under_18"] == "no":
            continue
        count += 1
        steps = set(outcome.plan.step_ids())
        assert {"safeguarding_children", "child_police_now", "transition_plan_before_18"} <= steps
        in_nrm = outcome.plan.facts["nrm_status"] not in ("not_referred", "unknown")
        assert ("refer_nrm" in steps) is not in_nrm and ("child_in_nrm" in steps) is in_nrm
        assert "consent_nrm" not in outcome.plan.facts
    assert count > 10


@pytest.mark.parametrize(("status", "consent_at_18"), [
    ("awaiting_rg", True), ("positive_rg", True), ("not_referred", True), ("unknown", True),
    ("negative_rg", False), ("positive_cg", False), ("negative_cg", False),
])
def test_consent_to_remain_at_18_is_planned_while_no_final_decision(status: str, consent_at_18: bool) -> None:
    plan = plan_for(PACK, {**CHILD, "care_support_needs": "no", "nrm_status": status}, start="transition")
    assert ("nrm_consent_at_18" in plan.step_ids()) is consent_at_18


def test_consequences_of_not_consenting_at_18_are_flagged_for_confirmation() -> None:
    step = PACK.steps["nrm_consent_at_18"]
    assert step.confidence.value == "unverified"
    assert "is not confirmed" in step.text
    assert step.confidence_note == ("Not confirmed: check with the Modern Slavery Helpline or "
                                    "the Single Competent Authority.")


def test_a_young_adult_in_the_nrm_must_consent_to_remain_and_is_asked_for_consent() -> None:
    plan = plan_for(PACK, {**ADULT, "care_support_needs": "yes", "nrm_status": "awaiting_rg",
                           "gender": "other", "housing_situation": "housed"}, start="transition")
    steps = plan.step_ids()
    assert {"nrm_consent_at_18", "safeguarding_adults", "leaving_care_duties"} <= set(steps)
    assert "safeguarding_children" not in steps
    assert "nrm-during" in plan.pathways


# --- 4.6 Adult social care ----------------------------------------------------------------------


def test_the_eligibility_question_states_the_three_conditions_of_protocol_2_2_4() -> None:
    question = PACK.pathway("adult-social-care").node("q_care_act_eligible")
    for words in ("as a result of a physical or a mental condition",
                  "cannot achieve two or more of the outcomes",
                  "significant impact on their wellbeing"):
        assert words in question.text


@pytest.mark.parametrize(("eligible", "present", "absent"), [
    ("yes", {"asc_care_plan"}, {"human_rights_assessment"}),
    ("no", {"human_rights_assessment"}, {"asc_care_plan"}),
    ("not_assessed", {"asc_eligibility_test", "human_rights_assessment"}, {"asc_care_plan"}),
])
def test_eligibility_leads_to_a_care_plan_or_a_human_rights_assessment(
        eligible: str, present: set[str], absent: set[str]) -> None:
    plan = plan_for(PACK, {**ADULT, "care_support_needs": "yes", "care_act_eligible": eligible,
                           "nrm_status": "not_referred", "has_capacity": "yes", "consent_nrm": "no",
                           "first_responder": "yes", "gender": "male", "housing_situation": "housed"},
                   start="adult-social-care")
    steps = set(plan.step_ids())
    assert present <= steps and not absent & steps
    assert {"safeguarding_adults", "asc_needs_assessment",
            "care_act_advocacy", "equality_duty", "notify_dtn"} <= steps
    # Adult Social Care makes its own s42 decision: the fixed step, in the team's own words.
    text = {s.step.id: s.step.text for s in plan.steps}
    assert text["safeguarding_adults"].startswith("Decide today whether the safeguarding enquiry")
    assert "Raise an adult safeguarding concern" not in " ".join(text.values())


def test_every_adult_social_care_path_for_an_adult_has_the_equality_duty() -> None:
    for outcome in _paths("adult-social-care", under_18="no"):
        assert "equality_duty" in outcome.plan.step_ids(), dict(outcome.answers)


# --- 4.9 Trading standards ----------------------------------------------------------------------


def test_every_trading_standards_path_warns_not_to_alert_the_exploiter() -> None:
    for outcome in _paths("trading-standards"):
        steps = set(outcome.plan.step_ids())
        assert {"ts_do_not_alert", "ts_share_labour_intelligence",
                "ts_council_first_responder", "ts_disruption", "ts_every_worker"} <= steps, dict(outcome.answers)


def test_the_workers_safety_and_the_joint_visit_are_said_once_with_every_point() -> None:
    """Issue 13: the workers' safety after the visit is part of `ts_every_worker`, the joint
    return visit part of `ts_disruption`; neither loses a point."""
    assert "ts_worker_welfare" not in PACK.steps and "ts_joint_visit" not in PACK.steps
    every = " ".join(PACK.steps["ts_every_worker"].text.split())
    for point in ("reach every worker safely", "move them, punish them or clear the site",
                  "at once if you fear reprisals", "the workers have been moved"):
        assert point in every
    disruption = PACK.steps["ts_disruption"]
    text = " ".join(disruption.text.split())
    for point in ("Do not go back alone", "for labour exploitation, the GLAA",
                  "interpreters and a First Responder present", "Bring the case to SERAC"):
        assert point in text
    assert disruption.contacts == ["police-101", "glaa", "coventry-serac"]


def test_labour_enforcement_contacts_carry_only_verified_numbers() -> None:
    contacts = PACK.contacts
    assert (contacts["glaa"].phone, contacts["glaa"].verified) == ("0800 432 0804", True)
    assert (contacts["acas"].phone, contacts["acas"].verified) == ("0300 123 1100", True)
    eas = contacts["eas"]
    assert (eas.phone, eas.web, eas.email, eas.verified) == (None, None, None, False)
    assert PACK.steps["ts_share_labour_intelligence"].contacts == ["police-101", "glaa", "acas", "eas"]


def test_the_glaa_as_a_risk_order_applicant_is_not_stated_as_fact() -> None:
    step = PACK.steps["ts_disruption"]
    assert "Whether the GLAA can apply for either order is not confirmed" in step.text
    assert "relevant offender" in step.text  # a prevention order on application needs one (s15)
    assert step.confidence.value == "unverified"
