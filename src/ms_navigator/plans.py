"""Finished plans with their reasons: a session run to its plan, each step and service carrying
the answers behind it.

Apart from the engine because explaining a plan replays sessions through it (`because.py`):
the engine never needs the explanation, and so never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ms_navigator import conditions, engine, model
from ms_navigator.errors import InvalidAnswer, MissingAnswer


def run_scripted(pack: model.Pack, pathway: str | None, answers: Mapping[str, Any],
                 reasons: bool = True) -> engine.Plan:
    """Run without asking: every answer comes from `answers`.

    Raise InvalidAnswer for an unknown fact or a value not allowed, and MissingAnswer at the
    first question whose fact is not given. Nothing is defaulted. Without `reasons`, the steps
    and services carry no `because` trail (None), for a plan shown without it: working it out
    replays the session once per other answer allowed.
    """
    session = engine.start(pack, pathway)
    for fact, value in answers.items():
        engine.check_answer(pack, str(fact), value)
    result = engine.walk(pack, engine.Session(session.start, tuple(answers.items())))
    contradiction(pack, result, answers)
    if result.pending is not None:
        q = result.pending
        raise MissingAnswer(q.fact, q.text, q.values())
    return complete(pack, session.start, result) if reasons else result.plan()


def complete(pack: model.Pack, start_at: str, done: engine.Walk) -> engine.Plan:
    """Return the finished walk's plan, each step and service carrying the answers behind it."""
    from ms_navigator import because  # only for a plan that shows its reasons (run_scripted)

    return because.explain(pack, start_at, done.plan())


def contradiction(pack: model.Pack, walk: engine.Walk, answers: Mapping[str, Any]) -> None:
    """Raise InvalidAnswer where the answers give a fact that the path knows otherwise.

    A fact known without asking (a pathway's `reader`, the policy's `implies`: an NHS reader is not a
    First Responder) is never asked, so an answers file that says otherwise would be silently
    overruled; it is refused instead, saying why the fact follows (CONTRACT section 2).
    """
    for fact, known in walk.derived:
        given = answers.get(fact)
        if given is None or given == known:
            continue
        facts = walk.facts
        why = next((rule.reason for rule in pack.policy.implies if fact in rule.facts
                    and conditions.evaluate(rule.when, facts) is True), None)
        if why is None:
            why = next((f"the {pack.pathways[p].title} is for "
                        f"{pack.pathways[p].audience[:1].lower()}{pack.pathways[p].audience[1:]}"
                        for p in walk.pathways
                        if fact in pack.pathways[p].reader), "it follows from the answers")
        raise InvalidAnswer(
            f"the answers say {fact}: {given}, but {why}, so {fact} is {known}. "
            f"Remove '{fact}' from the answers, or correct the answers it follows from.", fact)
