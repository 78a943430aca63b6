"""Explain mode: why each question is asked and where it comes from; why each step is planned."""

from __future__ import annotations

import io

from rich.console import Console

from ms_navigator import engine
from ms_navigator.render import terminal
from tests.helpers import plan_for


def text_of(renderable: object, width: int = 80) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(renderable)
    return buffer.getvalue()


def test_question_context_in_explain_mode_gives_why_section_and_source(pack) -> None:
    question = engine.walk(pack, engine.start(pack)).pending
    assert question is not None and question.fact == "immediate_danger"
    shown = text_of(terminal.question_context(question, explain=True))
    assert "Why: Safety comes first" in shown
    assert "Protocol 4.1 (identification). Source: Coventry Protocol 4.1" in shown
    assert terminal.question_context(question, explain=False) is None


def test_plan_in_explain_mode_shows_a_because_for_every_step_and_service(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "no", "under_18": "no", "organisation": "general", "care_support_needs": "no",
                           "nrm_status": "positive_cg", "sexual_exploitation": "yes", "gender": "male", "has_capacity": "yes",
                           "consent_nrm": "yes", "first_responder": "yes", "criminal_exploitation": "no",
                           "housing_situation": "housed"})
    explained = text_of(terminal.plan(plan, explain=True), width=200)
    assert explained.count("Because:") == len(plan.steps) + len(plan.offers)
    assert "Because:" not in text_of(terminal.plan(plan), width=200)


def test_start_explain_with_answers_prints_the_trail(cli) -> None:
    out = cli("start", "--explain", "--answers", "-",
              stdin="immediate_danger: 'yes'\nunder_18: 'yes'\norganisation: general\n"
                    "criminal_exploitation: 'no'\n").stdout
    assert "Because: Is the person, or anyone else, at risk of immediate harm right now? -> Yes" in out
