"""The engine: replaying answers, asking each fact once, going back, changing answers, stopping loops."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_navigator import engine, loader
from ms_navigator.errors import FlowError, InvalidAnswer, MissingAnswer, UnknownPathway
from tests.helpers import assert_next, edit, plan_for, session_with, thorough, tiny_pack

ADULT = {"immediate_danger": "no", "under_18": "no", "organisation": "general", "care_support_needs": "no"}


def test_first_question_is_immediate_danger(pack) -> None:
    assert_next(pack, {}, "immediate_danger")


@pytest.mark.parametrize("start", ["identification", "nrm-pre", "nrm-during", "nrm-post", "specialist-support"])
def test_every_pathway_asks_about_danger_first(pack, start: str) -> None:
    assert_next(pack, {}, "immediate_danger", start=start)


def test_order_for_an_adult(pack) -> None:
    asked = []
    session = engine.start(pack)
    answers = {**ADULT, "nrm_status": "not_referred", "has_capacity": "yes", "consent_nrm": "yes",
               "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "female", "housing_situation": "housed"}
    while (pending := engine.walk(pack, session).pending) is not None:
        asked.append(pending.fact)
        session = engine.answer(pack, session, answers[pending.fact])
    assert asked == ["immediate_danger", "under_18", "organisation", "care_support_needs", "nrm_status",
                     "has_capacity", "consent_nrm", "first_responder", "criminal_exploitation",
                     "sexual_exploitation", "gender", "housing_situation"]


def test_a_fact_answered_once_is_not_asked_again_across_pathways(pack) -> None:
    walk = engine.walk(pack, session_with(pack, {**ADULT, "nrm_status": "positive_rg"}))
    facts = [a.fact for a in walk.transcript]
    assert len(facts) == len(set(facts))
    assert walk.pathways == ("identification", "nrm-pre", "nrm-during", "specialist-support")
    assert walk.pending is not None and walk.pending.fact == "sexual_exploitation"


def test_a_child_is_never_asked_for_consent(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "no", "under_18": "unsure", "organisation": "general",
                           "criminal_exploitation": "no"})
    assert "consent_nrm" not in plan.facts
    assert plan.step_ids()[:2] == ["safeguarding_children", "child_police_now"]  # both now
    assert "refer_nrm" in plan.step_ids()


def test_back_undoes_the_last_answer_only(pack) -> None:
    session = session_with(pack, {**ADULT, "nrm_status": "not_referred"})
    before = engine.walk(pack, session)
    assert before.pending.fact == "has_capacity"
    session = engine.back(pack, session)
    assert engine.walk(pack, session).pending.fact == "nrm_status"
    assert dict(session.answers) == ADULT


def test_back_at_the_first_question_does_nothing(pack) -> None:
    session = engine.start(pack)
    assert engine.back(pack, session) == session


def test_changing_an_answer_drops_answers_no_longer_on_the_path(pack) -> None:
    session = session_with(pack, {**ADULT, "nrm_status": "not_referred", "has_capacity": "yes"})
    changed = engine.change(pack, session, "under_18", "yes")
    assert dict(changed.answers) == {"immediate_danger": "no", "under_18": "yes", "organisation": "general"}
    # a child's last question is whether they may have been made to commit crime
    assert engine.walk(pack, changed).pending.fact == "criminal_exploitation"


def test_an_answer_must_be_one_of_the_options(pack) -> None:
    with pytest.raises(InvalidAnswer, match="choose one of: yes, no"):
        engine.answer(pack, engine.start(pack), "maybe")


def test_scripted_run_names_the_missing_fact(pack) -> None:
    with pytest.raises(MissingAnswer) as caught:
        plan_for(pack, {"immediate_danger": "no"})
    assert caught.value.as_json() == {
        "error": "missing_answer", "fact": "under_18",
        "question": "Could the person be under 18?", "options": ["yes", "no", "unsure"],
    }


@pytest.mark.parametrize(("answers", "words"), [
    ({"immediate_danger": "no", "age": "30"}, "unknown fact 'age'"),
    ({"immediate_danger": True}, "'immediate_danger' cannot be true"),
    ({"under_18": "maybe"}, "allowed values: yes, no, unsure"),
])
def test_scripted_run_refuses_unknown_facts_and_values(pack, answers, words: str) -> None:
    with pytest.raises(InvalidAnswer, match=words):
        plan_for(pack, answers)


def test_unknown_pathway(pack) -> None:
    with pytest.raises(UnknownPathway, match="ms-navigator list"):
        engine.start(pack, "nowhere")


def test_steps_are_ordered_by_urgency_and_unique(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "yes", "under_18": "no", "organisation": "general",
                           "care_support_needs": "yes",
                           "nrm_status": "unknown", "has_capacity": "no", "first_responder": "no", "criminal_exploitation": "no",
                           "sexual_exploitation": "yes", "gender": "male", "housing_situation": "homeless",
                           "housing_eligibility": "unsure"})
    ids = plan.step_ids()
    assert ids[0] == "call_999"
    assert len(ids) == len(set(ids))
    ranks = [list(type(s.step.urgency)).index(s.step.urgency) for s in plan.steps]
    assert ranks == sorted(ranks)


TINY_ADULT = {"immediate_danger": "no", "under_18": "no", "nrm_status": "not_referred", "gender": "male"}
"""Every question of the tiny pack answered."""


def test_a_loop_in_the_content_is_stopped(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "    table: support\n    source: test\n    next: done\n",
         "    table: support\n    source: test\n    next: s_refer\n")
    pack = loader.load_pack_or_raise(root)
    with pytest.raises(FlowError, match="loop"):
        plan_for(pack, TINY_ADULT)


def _branch_after_q_age(root: Path, when: str) -> Path:
    """Send adults through a new branch b_x (on `when`, no otherwise) before the status question."""
    visit = root / "visit.yaml"
    edit(visit, '{value: "no", next: q_status}', '{value: "no", next: b_x}')
    edit(visit, "  - id: done\n", "  - id: b_x\n    type: branch\n    source: test\n"
         f"    routes:\n      - when: {when}\n        next: q_status\n\n  - id: done\n")
    return visit


def test_a_branch_on_a_fact_not_yet_asked_is_a_content_error(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    _branch_after_q_age(root, '{fact: gender, in: ["male"]}')
    pack = loader.load_pack_or_raise(root)
    with pytest.raises(FlowError, match="gender"):
        plan_for(pack, TINY_ADULT)


def test_known_condition_skips_the_nrm_reminder_after_pre_nrm(pack) -> None:
    direct = {**ADULT, "nrm_status": "not_referred",
              "sexual_exploitation": "yes", "gender": "female", "housing_situation": "housed"}
    assert "consider_nrm" in plan_for(pack, direct, start="specialist-support").step_ids()
    full = {**ADULT, **direct, "has_capacity": "yes", "consent_nrm": "no", "first_responder": "yes", "criminal_exploitation": "no"}
    assert "consider_nrm" not in plan_for(pack, full).step_ids()


def test_known_condition_on_an_undeclared_fact_is_reported(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    visit = _branch_after_q_age(root, "{known: under_18}")
    assert loader.load_pack(root).problems == []
    edit(visit, "{known: under_18}", "{known: capacity}")
    [problem] = loader.load_pack(root).problems
    assert (problem.rule, Path(problem.path).name) == ("unknown-fact", "visit.yaml")
    assert "'capacity'" in problem.message


@pytest.mark.parametrize("start", ["nrm-pre", "health", "specialist-support", "housing"])
def test_proceeding_from_a_paused_walk_equals_replaying_the_answers(pack, start: str) -> None:
    """`proceed` (what the exhaustive checks use) ends every path exactly as a replay does:
    the same transcript, pathways, steps, services, guidance and returns. Every path is
    proceeded to its end; every fifth is replayed (every one in the thorough run)."""
    todo = [engine.walk(pack, engine.Session(start))]
    finished = 0
    every = 1 if thorough() else 5
    while todo:
        walk = todo.pop()
        if walk.pending is None:
            finished += 1
            if finished % every == 1 % every:
                assert walk == engine.walk(pack, engine.Session(start, walk.answers))
            continue
        todo.extend(engine.proceed(pack, walk, value) for value in walk.pending.values())
    assert finished > 50


def test_proceed_needs_a_waiting_question(pack) -> None:
    done = engine.walk(pack, engine.Session("housing", (("immediate_danger", "yes"),
                                                        ("under_18", "yes"),
                                                        ("organisation", "general"),
                                                        ("criminal_exploitation", "no"))))
    assert done.pending is None
    with pytest.raises(FlowError, match="no question waiting"):
        engine.proceed(pack, done, "yes")


def test_a_planned_steps_copies_keep_every_other_field(pack) -> None:
    """`in_other_words` and `standing_for` copy a planned step by hand (cheaper than
    `dataclasses.replace`): each keeps every field but the ones it changes, whatever fields
    PlannedStep comes to have."""
    import dataclasses

    step, other = pack.steps["refer_nrm"], pack.steps["notify_dtn"]
    first = next(iter(pack.contacts.values()))
    planned = engine.PlannedStep(step, (first,), "nrm-pre", because=(), replaced=(other,))
    assert {f.name for f in dataclasses.fields(planned)} == {
        "step", "contacts", "pathway", "because", "replaced"}  # a new field: copy it in both
    assert planned.in_other_words(other, ()) == dataclasses.replace(planned, step=other, contacts=())
    assert planned.standing_for(()) == dataclasses.replace(planned, replaced=())
