"""A scenario replayed one question at a time, with where every other answer would have led.

For training: at each question the trainer shows the answer the scenario gives and, for every
answer, what it leads to next (the next question, the steps it adds on the way, or the end of
the plan). Pure: each frame is computed by replaying the answers given so far plus one
alternative, so what is shown is exactly what the engine would do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ms_navigator import engine, model, plans
from ms_navigator.errors import MissingAnswer
from ms_navigator.scenarios import Scenario


@dataclass(frozen=True)
class Branch:
    """Where one answer to a question leads from the answers given so far."""

    value: str
    label: str
    chosen: bool
    next_question: str | None  # None: the plan would be complete
    adds_steps: tuple[model.StepDef, ...]


@dataclass(frozen=True)
class Frame:
    """One question of the walk: the scenario's answer, a note, and every answer's branch."""

    number: int
    question: engine.Question
    chosen: str
    note: str | None
    guidance: tuple[engine.Guidance, ...]
    branches: tuple[Branch, ...]
    pathway_title: str = ""  # the question's pathway in words, for trainees (never its id)


@dataclass(frozen=True)
class Walkthrough:
    """The whole walk: its frames, then the plan the scenario's answers lead to."""

    scenario: Scenario
    frames: tuple[Frame, ...]
    plan: engine.Plan


def _branch(pack: model.Pack, session: engine.Session, before: frozenset[str],
            question: engine.Question, value: str, label: str, chosen: str) -> Branch:
    after = engine.walk(pack, engine.answer(pack, session, value))
    # A step another one on the path stands for (`replaces`) is not in the plan: not "added".
    gone = engine.replaced_ids(s.step for s in after.steps)
    added = {s.step.id: s.step for s in after.steps if s.step.id not in before | gone}
    return Branch(value, label, value == chosen,
                  after.pending.text if after.pending else None, tuple(added.values()))


def build(pack: model.Pack, scenario: Scenario) -> Walkthrough:
    """Return the walk-through of a scenario; MissingAnswer if it does not answer a question."""
    session = engine.start(pack, scenario.start)
    frames: list[Frame] = []
    while True:
        walk = engine.walk(pack, session)
        question = walk.pending
        if question is None:
            break
        if question.fact not in scenario.given:
            raise MissingAnswer(question.fact, question.text, question.values())
        chosen = engine.check_answer(pack, question.fact, scenario.given[question.fact])
        before = frozenset(s.step.id for s in walk.steps)
        branches = tuple(_branch(pack, session, before, question, value, label, chosen)
                         for value, label in question.options)
        frames.append(Frame(len(frames) + 1, question, chosen, scenario.notes.get(question.fact),
                            walk.guidance_since_last_answer, branches,
                            pack.pathways[question.pathway].title))
        session = engine.answer(pack, session, chosen)
    plan = plans.complete(pack, session.start, engine.walk(pack, session))
    return Walkthrough(scenario, tuple(frames), plan)


def unused_notes(walkthrough: Walkthrough) -> list[str]:
    """Return the facts that have a note but are never asked on the walk (a content mistake)."""
    asked = {f.question.fact for f in walkthrough.frames}
    return sorted(set(walkthrough.scenario.notes) - asked)
