"""The organisational pathways (protocol 4.6-4.9) and the routing to them.

Routing is checked answer by answer; the promises that matter most (the NHS never submits an
NRM referral itself, a child turning 18 is still referred without consent) are checked on
every path, because `explore.outcomes` enumerates every combination of answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from ms_navigator import engine, explore, model
from ms_navigator.errors import InvalidAnswer
from tests.helpers import assert_next, every_path, plan_for, session_with, shipped

PACK = shipped()
ADULT = {"immediate_danger": "no", "under_18": "no"}
CHILD = {"immediate_danger": "no", "under_18": "yes", "criminal_exploitation": "no"}
"""A child's age answer, and the last question a child is asked (made to commit crime?)."""
ORGANISATIONS = {
    "adult_social_care": "adult-social-care",
    "nhs": "health",
    "childrens_services": "transition",
    "trading_standards": "trading-standards",
}
SECTIONS = {"adult-social-care": "4.6", "health": "4.7", "transition": "4.8", "trading-standards": "4.9"}


def _missing(step: model.StepDef, points: Iterable[str]) -> list[str]:
    """Return the points a merged step's text (whitespace folded) does not say: a test of a
    merge asserts that none is lost."""
    text = " ".join(step.text.split())
    return [point for point in points if point not in text]


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
               "nrm_status": "not_referred", "first_responder": "yes", "criminal_exploitation": "no"}
    with pytest.raises(InvalidAnswer, match="first_responder: yes, but the NHS in England is not "
                                            "a First Responder Organisation"):
        plan_for(PACK, answers)


def test_health_sees_the_patient_alone_with_a_professional_interpreter() -> None:
    plan = plan_for(PACK, {**ADULT, "care_support_needs": "no", "nrm_status": "positive_cg",
                           "sexual_exploitation": "yes", "gender": "male", "housing_situation": "housed"}, start="health")
    text = {s.step.id: s.step.text for s in plan.steps}
    assert "without anyone who came with them" in text["nhs_see_alone"]
    assert "never family, friends or anyone who came with them" in text["nhs_see_alone"]
    assert {"nhs_safeguarding_lead", "nhs_charges_exempt", "nhs_in_nrm"} <= set(text)
    assert "refer_nrm" not in text


# What the NHS steps merged in issue 13 said, point by point: nhs_trauma_informed_care and
# nhs_charging_and_gp are part of nhs_see_alone (the consultation), nhs_safe_discharge of
# nhs_safeguarding_lead (the discharge is planned with the lead).
TRAUMA_INFORMED = ("Give all immediately necessary treatment", "in a trauma-informed way",
                   "explain what you are doing and why", "ask before you examine",
                   "do not press for disclosure", "an account that is incomplete or changes",
                   "Record injuries and what the person says in their own words",
                   "If their age is in doubt, treat them as under 18")
CHARGING_AND_GP = ("Do not let charging delay care", "immediately necessary treatment must be given",
                   "A&E and GP care are free to everyone", "Help the person register with a GP",
                   "no proof of identity, address or immigration status is needed",
                   "the practice address can be used if they have no home",
                   "a practice that refuses registration must still give immediately necessary treatment")
SAFE_DISCHARGE = ("Plan a safe discharge with your safeguarding lead before the patient leaves",
                  "do not discharge them to the person who came with them",
                  "or to an address the exploiters control",
                  "Agree with Adult Social Care, children's social care or the police where they will go")


def test_the_merged_nhs_steps_keep_every_point() -> None:
    for gone in ("nhs_trauma_informed_care", "nhs_charging_and_gp", "nhs_safe_discharge"):
        assert gone not in PACK.steps
    see = PACK.steps["nhs_see_alone"]
    assert _missing(see, ("See the person in private, without anyone who came with them",
                          "never leave an interpreter alone with the patient", *TRAUMA_INFORMED,
                          *CHARGING_AND_GP)) == []
    assert see.urgency.value == "now" and see.confidence.value == "inferred"
    for cited in ("All immediately necessary treatment should be provided",
                  "err on the side of caution regarding age", "trauma-informed support",
                  "There is no contractual duty to seek evidence of identity"):
        assert cited in see.source
    lead = PACK.steps["nhs_safeguarding_lead"]
    assert _missing(lead, ("The NHS is not a First Responder Organisation", *SAFE_DISCHARGE)) == []
    assert "safe discharge" in lead.summary
    assert {"nhs-safeguarding-lead", "coventry-adult-social-care"} <= set(lead.contacts)
    assert "Sam at A&E" in lead.source and lead.confidence.value == "inferred"


@pytest.mark.parametrize("under_18", ["no", "yes"])
def test_every_nhs_plan_has_the_treatment_charging_and_discharge_points(under_18: str) -> None:
    for outcome in _paths("health", under_18=under_18):
        words = " ".join(" ".join(p.step.text.split()) for p in outcome.plan.steps)
        for point in (TRAUMA_INFORMED[0], CHARGING_AND_GP[0], SAFE_DISCHARGE[0]):
            assert point in words, dict(outcome.answers)


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
                           "sexual_exploitation": "yes", "gender": "other", "housing_situation": "housed"}, start="transition")
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
                           "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "male", "housing_situation": "housed"},
                   start="adult-social-care")
    steps = set(plan.step_ids())
    assert present <= steps and not absent & steps
    assert {"safeguarding_adults", "asc_needs_assessment", "notify_dtn"} <= steps
    # the needs assessment carries the advocate and stands for the Equality Act step
    assessment = next(p for p in plan.steps if p.step.id == "asc_needs_assessment")
    assert [s.id for s in assessment.replaced] == ["equality_duty"] and "equality_duty" not in steps
    # Adult Social Care makes its own s42 decision: the fixed step, in the team's own words.
    text = {s.step.id: s.step.text for s in plan.steps}
    assert text["safeguarding_adults"].startswith("Decide today whether the safeguarding enquiry")
    assert "Raise an adult safeguarding concern" not in " ".join(text.values())


def test_every_adult_social_care_path_for_an_adult_has_the_equality_duty() -> None:
    """The Equality Act step, or the needs assessment that stands for it (issue 13)."""
    standing = 0
    for outcome in _paths("adult-social-care", under_18="no"):
        plan = outcome.plan
        if "equality_duty" not in plan.step_ids():
            assessment = next(p for p in plan.steps if p.step.id == "asc_needs_assessment")
            assert "equality_duty" in [s.id for s in assessment.replaced], dict(outcome.answers)
            standing += 1
    assert standing > 0


# What care_act_advocacy and equality_duty say, point by point: both are in the needs assessment
# (issue 13), the advocate for the assessment itself, the Equality Act duty where both are planned.
ADVOCACY = ("Arrange an independent advocate for the needs assessment, care and support planning and "
            "the safeguarding enquiry", "substantial difficulty being involved",
            "understanding, retaining, using or weighing the information, or communicating their views",
            "there is no appropriate person to support them (Care Act 2014 ss67-68)",
            "Substantial difficulty is not the same as lacking capacity",
            "someone connected with the exploitation is never an appropriate person")


def test_the_needs_assessment_keeps_every_point_of_advocacy_and_the_equality_duty() -> None:
    assert "care_act_advocacy" not in PACK.steps
    step = PACK.steps["asc_needs_assessment"]
    text = " ".join(step.text.split())
    assert _missing(step, ("Carry out a needs assessment (Care Act 2014 s9)", "whatever your view of the level",
                           "Use a professional interpreter if they need one", *ADVOCACY)) == []
    equality = " ".join(PACK.steps["equality_duty"].text.split())
    # every sentence of the step it stands for, bar its opening verb
    for sentence in equality.split(". "):
        assert sentence.removeprefix("Have due regard").strip(". ") in text, sentence
    assert step.replaces == ["equality_duty"] and step.confidence.value == "inferred"
    assert "advocate" in step.summary and "protected characteristics" in step.summary
    for cited in ("ss9 and 67-68", "2.2.7 (Equality Act 2010 s149)", "gender specific needs",
                  "linked to the exploitation"):
        assert cited in step.source


# --- 4.9 Trading standards ----------------------------------------------------------------------


def test_every_trading_standards_path_warns_not_to_alert_the_exploiter() -> None:
    for outcome in _paths("trading-standards"):
        steps = set(outcome.plan.step_ids())
        assert {"ts_do_not_alert", "ts_share_labour_intelligence",
                "ts_council_first_responder"} <= steps, dict(outcome.answers)


def test_the_workers_safety_and_the_joint_visit_are_said_once_with_every_point() -> None:
    """Issue 13: each worker and their safety after the visit are part of `ts_do_not_alert`
    (the visit), the joint return visit and the disruption part of
    `ts_share_labour_intelligence` (what is done with the police and the GLAA); no point lost."""
    for gone in ("ts_worker_welfare", "ts_joint_visit", "ts_every_worker", "ts_disruption"):
        assert gone not in PACK.steps
    visit = PACK.steps["ts_do_not_alert"]
    assert _missing(visit, ("Do not confront or alert the business owner", "finish the visit as you normally would",
                  "with a professional interpreter", "Record the indicators you saw, where and when",
                  "There are usually several workers", "Record what you saw for each of them separately",
                  "treat each one as a possible victim", "each adult decides for themselves",
                  "anyone who may be under 18 is a child", "reach every worker safely",
                  "move them, punish them or clear the site", "at once if you fear reprisals",
                  "the workers have been moved")) == []
    assert visit.urgency.value == "now" and visit.contacts == ["police-101"]
    for cited in ("4.9, 3.2 (Pursue: working in partnership) and 3.4 (Protect)", "Modern Slavery Act 2015 s52"):
        assert cited in visit.source
    share = PACK.steps["ts_share_labour_intelligence"]
    assert _missing(share, ("Gangmasters and Labour Abuse Authority", "National Minimum Wage team",
                  "Employment Agency Standards Inspectorate", "only with their consent",
                  "Do not go back alone", "for labour exploitation, the GLAA",
                  "interpreters and a First Responder present", "licensing and trading standards powers",
                  "(s14)", "(s15)", "Risk Order (s23) needs no conviction", "Bring the case to SERAC")) == []
    assert share.replaces == ["share_intelligence"] and share.check_with
    for cited in ("2.2.1", "STPOs, STROs", "ss14-16 and 23"):
        assert cited in share.source


def test_labour_enforcement_contacts_carry_only_verified_numbers() -> None:
    contacts = PACK.contacts
    assert (contacts["glaa"].phone, contacts["glaa"].verified) == ("0800 432 0804", True)
    assert (contacts["acas"].phone, contacts["acas"].verified) == ("0300 123 1100", True)
    eas = contacts["eas"]
    assert (eas.phone, eas.web, eas.email, eas.verified) == (None, None, None, False)
    assert PACK.steps["ts_share_labour_intelligence"].contacts == ["police-101", "glaa", "acas", "eas",
                                                                   "coventry-serac"]


def test_the_glaa_as_a_risk_order_applicant_is_not_stated_as_fact() -> None:
    step = PACK.steps["ts_share_labour_intelligence"]
    assert "Whether the GLAA can apply for either order is not confirmed" in step.text
    assert "relevant offender" in step.text  # a prevention order on application needs one (s15)
    assert step.confidence.value == "unverified"
