"""The question loop with a scripted asker: review screen, changing answers, saving, leaving."""

from __future__ import annotations

import pytest

from ms_navigator import engine, interactive
from ms_navigator.prompts import BACK, DONE, PAUSE, QUIT, ScriptedAsker


class Recorder:
    """A scripted asker that also records which facts it was asked, and a save hook."""

    def __init__(self, script: list[str]) -> None:
        self.scripted = ScriptedAsker(script)
        self.asked: list[str] = []
        self.saves: list[engine.Session] = []

    def ask(self, question: engine.Question, can_go_back: bool, current: str | None = None) -> str:
        self.asked.append(question.fact if current is None else f"{question.fact} (was {current})")
        return self.scripted.ask(question, can_go_back, current)

    def review(self, transcript: tuple[engine.Answered, ...]) -> str:
        self.asked.append("review")
        return self.scripted.review(transcript)

    def run(self, pack, session=None):  # noqa: ANN001, ANN201
        return interactive.run(pack, session or engine.start(pack), self, lambda walk: None,
                               self.saves.append)


ADULT_AFTER_AGE = ["no", "not_referred", "yes", "no", "yes", "no", "yes", "male", "housed"]
ADULT_FACTS = ["care_support_needs", "nrm_status", "has_capacity", "consent_nrm",
               "first_responder", "criminal_exploitation", "sexual_exploitation", "gender",
               "housing_situation"]
CHILD = {"immediate_danger": "no", "under_18": "yes", "organisation": "general",
         "criminal_exploitation": "no"}
"""A child's answers: the last question for a child is whether they may have been made to
commit crime."""


def test_review_change_asks_only_the_new_questions(pack) -> None:
    asker = Recorder(["no", "yes", "general", "no", "under_18", "no", *ADULT_AFTER_AGE, DONE])
    plan = asker.run(pack)
    assert asker.asked == ["immediate_danger", "under_18", "organisation", "criminal_exploitation",
                           "review", "under_18 (was yes)", *ADULT_FACTS, "review"]
    assert "notify_dtn" in plan.step_ids() and "safeguarding_children" not in plan.step_ids()
    assert plan.facts["immediate_danger"] == "no"


def test_changing_back_to_a_child_drops_the_adult_answers(pack) -> None:
    asker = Recorder(["no", "no", "general", *ADULT_AFTER_AGE, "under_18", "yes", DONE])
    plan = asker.run(pack)
    # nothing new to ask for a child: the answer on criminal exploitation is kept
    assert asker.asked[-2:] == ["under_18 (was no)", "review"]
    assert plan.facts == CHILD
    assert asker.saves[-1].answers == (("immediate_danger", "no"), ("under_18", "yes"),
                                       ("organisation", "general"), ("criminal_exploitation", "no"))


def test_keeping_the_answer_on_review_changes_nothing(pack) -> None:
    asker = Recorder(["no", "yes", "general", "no", "immediate_danger", BACK, DONE])
    plan = asker.run(pack)
    assert plan.facts == CHILD
    assert asker.asked == ["immediate_danger", "under_18", "organisation", "criminal_exploitation",
                           "review", "immediate_danger (was no)", "review"]


def test_every_answer_and_going_back_is_saved(pack) -> None:
    asker = Recorder(["yes", BACK, "no", "yes", "general", "no", DONE])
    asker.run(pack)
    assert [s.answers for s in asker.saves] == [
        (("immediate_danger", "yes"),), (), (("immediate_danger", "no"),),
        (("immediate_danger", "no"), ("under_18", "yes")),
        (("immediate_danger", "no"), ("under_18", "yes"), ("organisation", "general")),
        tuple(CHILD.items())]


@pytest.mark.parametrize(("choice", "delete"), [(QUIT, True), (PAUSE, False)])
def test_leaving_at_a_question_or_the_review(pack, choice: str, delete: bool) -> None:
    for script in (["no", choice], ["no", "yes", choice]):
        with pytest.raises(interactive.Left) as left:
            Recorder(script).run(pack)
        assert left.value.delete is delete


def test_question_for_a_fact_not_on_the_path_is_refused(pack) -> None:
    from ms_navigator.errors import FlowError

    session = engine.Session("identification", (("immediate_danger", "no"),))
    assert engine.question_for(pack, session, "immediate_danger").fact == "immediate_danger"
    with pytest.raises(FlowError):
        engine.question_for(pack, session, "gender")
