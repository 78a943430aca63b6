"""Finished plans with their reasons: a session run to its plan, each step and service carrying
the answers behind it.

Apart from the engine because explaining a plan replays sessions through it (`because.py`):
the engine never needs the explanation, and so never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ms_navigator import because, engine, model
from ms_navigator.errors import MissingAnswer


def run_scripted(pack: model.Pack, pathway: str | None, answers: Mapping[str, Any]) -> engine.Plan:
    """Run without asking: every answer comes from `answers`.

    Raise InvalidAnswer for an unknown fact or a value not allowed, and MissingAnswer at the
    first question whose fact is not given. Nothing is defaulted.
    """
    session = engine.start(pack, pathway)
    for fact, value in answers.items():
        engine.check_answer(pack, str(fact), value)
    result = engine.walk(pack, engine.Session(session.start, tuple(answers.items())))
    if result.pending is not None:
        q = result.pending
        raise MissingAnswer(q.fact, q.text, q.values())
    return complete(pack, session.start, result)


def complete(pack: model.Pack, start_at: str, done: engine.Walk) -> engine.Plan:
    """Return the finished walk's plan, each step and service carrying the answers behind it."""
    return because.explain(pack, start_at, done.plan())
