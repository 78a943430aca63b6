"""Plans that never contradict themselves (issue 13, items 2, 3, 4 and 8).

The reader's organisation decides what is known (`first_responder`) and the words a step uses;
a planned step can change what is true for the rest of the plan (`effects`); steps that say the
same thing declare which stands for which (`replaces`); and every start runs the preamble.
Each test can fail: the mutations at the end break the pack on purpose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ms_navigator import engine, explore, loader, model, plans
from ms_navigator.errors import InvalidAnswer, MissingAnswer, UnknownPathway
from tests.helpers import assert_next, edit, every_path, line_of, plan_for, session_with, tiny_pack

ADULT = {"immediate_danger": "no", "under_18": "no"}
CONSENTING = {**ADULT, "organisation": "general", "care_support_needs": "no",
              "nrm_status": "not_referred", "has_capacity": "yes", "consent_nrm": "yes",
              "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "male", "housing_situation": "homeless",
              "housing_eligibility": "eligible"}
COUNCIL = {"adult_social_care": "adult-social-care", "childrens_services": "transition",
           "trading_standards": "trading-standards"}


def _texts(plan: engine.Plan) -> str:
    return " ".join(s.step.text for s in plan.steps)


# --- 1. The organisation decides first_responder -------------------------------------------


@pytest.mark.parametrize(("organisation", "expected"), [
    ("adult_social_care", "yes"), ("childrens_services", "yes"), ("trading_standards", "yes"),
    ("nhs", "no")])
def test_the_organisation_decides_first_responder_and_it_is_never_asked(
        pack: model.Pack, organisation: str, expected: str) -> None:
    asked = set()
    count = 0
    for outcome in every_path(pack):
        if outcome.plan.facts.get("organisation") != organisation:
            continue
        count += 1
        asked |= {a.fact for a in outcome.plan.transcript}
        assert outcome.plan.facts.get("first_responder") == expected, dict(outcome.answers)
    assert count > 10 and "first_responder" not in asked


def test_only_the_general_pathway_is_asked_whether_it_is_a_first_responder(pack) -> None:
    answers = {k: v for k, v in CONSENTING.items() if k != "first_responder"}
    with pytest.raises(MissingAnswer) as raised:
        plan_for(pack, answers)
    assert raised.value.fact == "first_responder"
    nhs = plan_for(pack, {**answers, "organisation": "nhs"})
    assert "first_responder" not in [a.fact for a in nhs.transcript]


def test_starting_at_an_organisations_pathway_knows_the_organisation(pack) -> None:
    assert_next(pack, ADULT, "care_support_needs", start="health")  # organisation: not asked
    walk = engine.walk(pack, session_with(pack, ADULT, start="health"))
    assert walk.facts["organisation"] == "nhs" and walk.facts["first_responder"] == "no"


@pytest.mark.parametrize(("given", "start", "words"), [
    ({"organisation": "nhs", "first_responder": "yes", "criminal_exploitation": "no"}, None, "the NHS in England is not"),
    ({"organisation": "trading_standards", "first_responder": "no", "criminal_exploitation": "no"}, None, "teams of Coventry City"),
    ({"organisation": "general"}, "health", "the Health Pathway is for staff working in health"),
])
def test_an_answers_file_that_contradicts_the_organisation_is_exit_2(
        cli, pack, given: dict[str, str], start: str | None, words: str) -> None:
    answers = {**CONSENTING, **given}
    with pytest.raises(InvalidAnswer, match=words):
        plans.run_scripted(pack, start, answers)
    args = ["start", "--answers", "-", *(["--pathway", start] if start else [])]
    result = cli(*args, code=2, stdin=json.dumps(answers))
    assert words in result.stderr and "Traceback" not in result.stderr


def test_an_answers_file_that_agrees_with_the_organisation_is_fine(pack) -> None:
    plan = plan_for(pack, {**CONSENTING, "organisation": "nhs", "first_responder": "no", "criminal_exploitation": "no",
                           "care_support_needs": "no"})
    assert plan.facts["first_responder"] == "no"


# --- 1. A step's words are for its reader -------------------------------------------------------


def test_a_non_first_responder_is_never_told_to_submit_the_form(pack) -> None:
    count = 0
    for outcome in every_path(pack):
        plan = outcome.plan
        if plan.facts.get("first_responder") != "no":
            continue
        count += 1
        text = _texts(plan)
        assert "submit the online form" not in text and "you (or its trained" not in text
        assert "As the First Responder" not in text, dict(outcome.answers)
        if {"refer_nrm", "notify_dtn"} & set(plan.step_ids()):
            # the one route that works: a First Responder, through the safeguarding lead
            assert "through your safeguarding lead" in text, dict(outcome.answers)
    assert count > 100


def test_a_general_non_first_responder_says_whether_the_person_consents(pack) -> None:
    """With consent, the one step that asks a First Responder to refer is the referral step
    itself (it stands for ask_first_responder); without, ask_first_responder asks for the report."""
    for consent, step, words in (("yes", "refer_nrm", "the person gives informed consent"),
                                 ("no", "ask_first_responder", "the person does not consent")):
        plan = plan_for(pack, {**CONSENTING, "first_responder": "no", "criminal_exploitation": "no", "consent_nrm": consent})
        texts = {s.step.id: " ".join(s.step.text.split()) for s in plan.steps}
        assert words in texts[step] and "through your safeguarding lead" in texts[step]
        assert (step == "refer_nrm") is ("ask_first_responder" not in texts)
    planned = next(s for s in plan_for(pack, {**CONSENTING, "first_responder": "no", "criminal_exploitation": "no"}).steps
                   if s.step.id == "refer_nrm")
    assert [r.id for r in planned.replaced] == ["ask_first_responder"]
    assert {c.id for c in planned.contacts} >= {"police-101", "coventry-ms-lead", "ms-helpline"}


def test_council_teams_are_first_responders_and_never_told_to_ask_the_council(pack) -> None:
    for organisation in COUNCIL:
        for outcome in every_path(pack):
            plan = outcome.plan
            if plan.facts.get("organisation") != organisation:
                continue
            steps = set(plan.step_ids())
            assert "ask_first_responder" not in steps, dict(outcome.answers)
            assert "is not a First Responder" not in _texts(plan), dict(outcome.answers)


def test_adult_social_care_makes_its_own_s42_decision(pack) -> None:
    for outcome in every_path(pack):
        plan = outcome.plan
        if plan.facts.get("organisation") != "adult_social_care":
            continue
        text = {s.step.id: s.step.text for s in plan.steps}
        if "safeguarding_adults" in text:
            assert text["safeguarding_adults"].startswith("Decide today whether the safeguarding")
        assert "Raise an adult safeguarding concern" not in _texts(plan)
        assert "Ask Adult Social Care for a needs assessment" not in _texts(plan)
        assert "comes through Adult Social Care" not in _texts(plan)


def test_users_never_asked_are_not_told_as_the_first_responder(pack) -> None:
    plan = plan_for(pack, {**ADULT, "organisation": "general", "care_support_needs": "no",
                           "nrm_status": "awaiting_rg", "sexual_exploitation": "yes", "gender": "male",
                           "housing_situation": "housed"}, start="nrm-during")
    assert "first_responder" not in plan.facts
    text = {s.step.id: s.step.text for s in plan.steps}
    assert not text["stay_point_of_contact"].startswith("As the First Responder")
    council = plan_for(pack, {**ADULT, "organisation": "adult_social_care",
                              "care_support_needs": "no", "nrm_status": "awaiting_rg",
                              "sexual_exploitation": "yes", "gender": "male", "housing_situation": "housed"}, start="nrm-during")
    assert {s.step.id: s.step.text for s in council.steps}["stay_point_of_contact"].startswith(
        "As the First Responder")


# --- 2. Facts that follow from the plan ---------------------------------------------------------


def test_a_consenting_adult_once_referred_gets_the_in_nrm_services(pack) -> None:
    plan = plan_for(pack, CONSENTING)
    assert plan.facts["nrm_status"] == "not_referred"  # the answer given stays in the facts
    services = {o.service.id: o for o in plan.offers}
    assert {"msvcc", "hope-at-home"} <= set(services) and "wmasn-safeplace" not in services
    assert services["msvcc"].note and "once the referral is made" in services["msvcc"].note
    assert services["wmasn-imsa"].note is None  # open either way: nothing to note
    steps = set(plan.step_ids())
    assert "refer_nrm" in steps and not {"consider_nrm", "housing_emergency"} & steps


def test_no_consenting_adult_is_told_to_consent_or_to_run_the_pre_nrm_pathway(pack) -> None:
    count = 0
    for outcome in every_path(pack):
        plan = outcome.plan
        if not (plan.facts.get("consent_nrm") == "yes" and "refer_nrm" in plan.step_ids()):
            continue
        count += 1
        text = _texts(plan)
        assert "follow the Pre-NRM pathway too" not in text, dict(outcome.answers)
        assert "if the person later consents" not in text.lower(), dict(outcome.answers)
        if plan.facts.get("nrm_status") == "not_referred":
            assert "msvcc" in plan.service_ids(), dict(outcome.answers)
    assert count > 1000


def test_the_effect_is_the_packs_not_the_codes(pack_copy: Path) -> None:
    # The shipped pack on purpose: the consenting adult's in-NRM services come from its steps.yaml.
    steps = pack_copy / "directory" / "steps.yaml"
    edit(steps, "        assume: {nrm_status: awaiting_rg}\n", "        assume: {nrm_status: not_referred}\n")
    pack = loader.load_pack_or_raise(pack_copy)
    plan = plan_for(pack, CONSENTING)
    assert "msvcc" not in plan.service_ids() and "wmasn-safeplace" in plan.service_ids()


# --- 3. Steps that replace others ---------------------------------------------------------------

PAIRS = [("safeguarding_adults", "asc_s42_enquiry"), ("msvcc_emergency_support", "housing_emergency"),
         ("human_rights_assessment", "housing_not_eligible"),
         ("share_intelligence", "ts_share_labour_intelligence"),
         ("move_on_support", "housing_move_on"), ("ask_first_responder", "nhs_safeguarding_lead"),
         ("legal_advice", "immigration_leave")]


def test_no_plan_from_any_start_has_both_of_a_duplicate_pair(pack) -> None:
    endings = explore.Endings(pack)
    total = 0
    for start in pack.starts:
        for ending in endings(start):
            total += 1
            steps = set(ending.steps)
            for a, b in PAIRS:
                assert not {a, b} <= steps, (start, ending.answers, a, b)
    assert total > 50_000


def test_a_homeless_person_after_a_negative_decision_is_not_pointed_at_unlisted_services(pack) -> None:
    for status in ("negative_rg", "negative_cg"):
        plan = plan_for(pack, {**ADULT, "organisation": "general", "care_support_needs": "no",
                               "nrm_status": status, "sexual_exploitation": "yes", "gender": "male",
                               "housing_situation": "homeless", "has_capacity": "yes",
                               "housing_eligibility": "eligible"}, start="specialist-support")
        text = _texts(plan)
        assert "wmasn-safeplace" not in plan.service_ids()
        assert "among the services listed" not in text and "listed in this plan" not in text


def test_explain_says_which_step_stands_for_which(cli) -> None:
    answers = {**CONSENTING, "organisation": "nhs", "care_support_needs": "no"}
    del answers["first_responder"]
    answers["consent_nrm"] = "no"
    text = cli("start", "--answers", "-", "--format", "markdown", stdin=json.dumps(answers)).stdout
    at = text.index("Tell your NHS safeguarding lead today")
    assert re.search(r'It stands for: "[^"]*[Aa]sk a First Responder', text[at:])  # its summary
    assert "(ask_first_responder)" in text[at:]
    data = json.loads(cli("start", "--answers", "-", "--format", "json",
                          stdin=json.dumps(answers)).stdout)
    lead = next(s for s in data["steps"] if s["id"] == "nhs_safeguarding_lead")
    assert lead["replaces"] == ["ask_first_responder"]
    assert "ask_first_responder" not in [s["id"] for s in data["steps"]]


# --- 4. Every start runs the preamble -----------------------------------------------------------


@pytest.mark.parametrize("start", loader.load_pack_or_raise().starts)
def test_every_start_asks_danger_age_organisation_and_care_needs(pack, start: str) -> None:
    assert_next(pack, {}, "immediate_danger", start=start)
    assert_next(pack, {"immediate_danger": "no"}, "under_18", start=start)
    known = start in ("health", "adult-social-care", "transition", "trading-standards")
    if not known:
        assert_next(pack, ADULT, "organisation", start=start)
    after = {**ADULT, "organisation": "general"} if not known else ADULT
    if start == "identification":  # the entry asks care needs after choosing the pathway
        return
    assert_next(pack, after, "care_support_needs", start=start)


@pytest.mark.parametrize("start", ["nrm-pre", "nrm-during", "nrm-post", "specialist-support",
                                   "housing", "skills-employment"])
def test_no_start_misses_a_care_act_s42_concern(pack, start: str) -> None:
    count = 0
    for outcome in every_path(pack, start):
        facts = outcome.plan.facts
        assert "organisation" in facts, dict(outcome.answers)
        if facts["under_18"] == "no":
            assert "care_support_needs" in facts, dict(outcome.answers)
            if facts["care_support_needs"] in ("yes", "unsure"):
                count += 1
                assert "safeguarding_adults" in outcome.plan.step_ids(), dict(outcome.answers)
    assert count > 0


def test_known_facts_are_not_asked_again_after_the_preamble(pack) -> None:
    walk = engine.walk(pack, engine.Session("nrm-pre", tuple({
        **ADULT, "organisation": "general", "care_support_needs": "unsure"}.items())))
    assert walk.pending is not None and walk.pending.fact == "nrm_status"
    assert [a.fact for a in walk.transcript] == ["immediate_danger", "under_18", "organisation",
                                                 "care_support_needs"]
    assert walk.pathways[:2] == ("preamble", "nrm-pre")


def test_the_preamble_cannot_be_started_on_its_own(cli, pack) -> None:
    with pytest.raises(UnknownPathway, match="cannot be started on its own"):
        engine.start(pack, "preamble")
    assert "cannot be started" in cli("start", "--pathway", "preamble", "--answers", "-",
                                      code=2, stdin="{}").stderr


# --- The loader reports bad uses of the language with file:line ---------------------------------


def _before(anchor: str, *lines: str) -> tuple[str, str]:
    """Return an edit that writes `lines` just before `anchor` (the first line is the one
    reported)."""
    return anchor, "".join(lines) + anchor


@pytest.mark.parametrize(("path", "edit_", "rule", "words"), [
    ("directory/steps.yaml", _before("    urgency: now\n    contacts: [emergency]\n", "    replaces: [refe]\n"),
     "unknown-step", "'refe'"),
    ("directory/policy.yaml", _before("  entry: visit\n", "  implies: [{when: {fact: gender, in: [femal]}, "
                                      'facts: {under_18: "no"}, reason: test, source: test}]\n'),
     "unknown-value", "'femal'"),
    ("directory/policy.yaml", _before("  entry: visit\n", "  implies: [{when: {fact: gender, in: [female]}, "
                                      'facts: {under_18: "maybe"}, reason: test, source: test}]\n'),
     "unknown-value", "'maybe'"),
    ("directory/policy.yaml", _before("  entry: visit\n", "  preamble: preambel\n"), "unknown-pathway",
     "'preambel'"),
    ("visit.yaml", _before("start: q_danger\n", "reader: {gender: hospital}\n"), "unknown-value", "'hospital'"),
    ("directory/steps.yaml", _before("    urgency: today\n    after: [confirm_nrm_status]\n",
                                     "    effects: [{assume: {nrm_state: in_nrm}, note: Once referred.}]\n"),
     "unknown-fact", "'nrm_state'"),
    ("directory/steps.yaml", _before("    urgency: today\n    source: test\n",
                                     "    variants: [{when: {fact: gender, in: [sure]}, text: Refer her.}]\n"),
     "unknown-value", "'sure'"),
], ids=["replaces", "implies-when", "implies-facts", "preamble", "reader", "assume", "variant-when"])
def test_bad_uses_of_the_new_language_are_reported_with_their_line(
        cli, tmp_path: Path, path: str, edit_: tuple[str, str], rule: str, words: str) -> None:
    old, new = edit_
    root = tiny_pack(tmp_path)
    target = root / path
    edit(target, old, new)
    result = cli("lint", str(root), "--format", "json", code=1)
    found = [p for p in json.loads(result.stdout) if p["rule"] == rule]
    assert found and words in found[0]["message"]
    assert Path(found[0]["path"]).name == target.name
    assert found[0]["line"] == line_of(target, new.strip().splitlines()[0])


def test_a_step_that_replaces_a_contract_step_fails_the_safety_rules(cli, tmp_path: Path) -> None:
    """The invariant search applies `replaces` as the plan does: a step planned beside
    `refer_nrm` that replaces it breaks the built-in child rule, found with the shortest answers
    (the small test pack, which lints clean without the edit)."""
    root = tiny_pack(tmp_path)
    edit(root / "directory" / "steps.yaml", "    text: Safeguard the child.\n",
         "    text: Safeguard the child.\n    replaces: [refer_nrm]\n")
    result = cli("lint", str(root), "--format", "json", code=1)
    broken = [p for p in json.loads(result.stdout) if p["rule"] == "safety-rule-broken"]
    assert [p["message"] for p in broken] == [
        "safety rule 'child-referred' (built in) is broken from 'visit' with immediate_danger=yes,"
        " under_18=yes, nrm_status=not_referred, gender=female: no step refer_nrm."]


def test_an_effect_read_by_the_table_is_merged_soundly(pack) -> None:
    """Paths read off merged states (what lint and impact use) equal walking every path, with
    the effect of `refer_nrm` in play (the state keys on the facts as the path reads them)."""
    endings = explore.Endings(pack)
    for start in ("nrm-pre", "specialist-support"):
        expected = [(o.answers, tuple(o.plan.step_ids()), tuple(o.plan.service_ids()))
                    for o in every_path(pack, start)]
        assert [(e.answers, e.steps, e.services) for e in endings(start)] == expected


def test_a_walk_through_never_shows_a_replaced_step_as_added(pack) -> None:
    from ms_navigator import scenarios, walkthrough

    walk = walkthrough.build(pack, scenarios.find("sam-holly-shared-concerns")[0])
    added = {s.id for f in walk.frames for b in f.branches for s in b.adds_steps}
    assert "nhs_safeguarding_lead" in added and "ask_first_responder" not in added


# --- 5. Merged steps (issue 13) ----------------------------------------------------------------


SERAC = ("Consider referring the case to the Coventry Slavery and Exploitation Risk Assessment "
         "Conference (SERAC) for a multi-agency plan, and tell the Council's Modern Slavery Lead.")


def test_an_adults_intelligence_step_brings_the_case_to_serac_and_a_childs_does_not(pack) -> None:
    """consider_serac is part of share_intelligence, with every point, contact and source; a
    child's plan, which never had the SERAC step, keeps the old words (issue 13)."""
    assert "consider_serac" not in pack.steps
    step = pack.steps["share_intelligence"]
    assert SERAC in " ".join(step.text.split()) and "SERAC" in step.summary
    assert {"coventry-serac", "coventry-ms-lead", "coventry-adult-social-care"} <= set(step.contacts)
    for cited in ("1.5 (journey map)", "3.4 and glossary (SERAC)", "Gathering Intelligence"):
        assert cited in step.source
    seen = {"no": 0, "yes": 0}
    for outcome in every_path(pack, "nrm-pre"):
        planned = next((p for p in outcome.plan.steps if p.step.id == "share_intelligence"), None)
        if planned is None:
            continue
        age = "no" if outcome.plan.facts["under_18"] == "no" else "yes"
        seen[age] += 1
        assert (SERAC in " ".join(planned.step.text.split())) is (age == "no"), dict(outcome.answers)
        assert ("coventry-serac" in [c.id for c in planned.contacts]) is (age == "no")
    assert seen["no"] and seen["yes"]


def test_the_pack_proves_its_plan_budget_on_every_path(pack, pack_copy: Path, cli) -> None:
    """The budget is an invariant of the pack (lint proves it on every path), and it can fail:
    one step fewer than the largest plan breaks it, naming it."""
    budget = pack.invariants["plan-at-most-15-steps"]
    assert budget.require.max_steps == 15 and budget.when is None
    edit(pack_copy / "directory" / "invariants.yaml", "      max_steps: 15\n", "      max_steps: 14\n")
    result = cli("lint", str(pack_copy), code=1)
    assert "plan-at-most-15-steps" in result.stdout and "(at most 14)" in result.stdout
