"""Why each step and service is in a plan: the answers whose change would take it out.

A whole path is not an explanation: most answers on it do not matter to a given step. So the
trail is found by counterfactual replay. For every answer on the path and every other answer
the question allowed, the session is replayed with only that answer changed (all the others
kept). An answer is *because* for a step when some alternative gives a walk in which the step
is no longer there. A replay that stops at a question the answers do not cover counts as the
step not being there unless it was already added: with that answer, the step would no longer
follow from what was said.

A step that no single answer can remove (it is on every route, or two answers each lead to it)
gets an empty trail; renderers say so rather than invent one. Each replay is one pass through a
few dozen nodes, and there are only as many as there are alternative answers, so this runs
once per plan at no noticeable cost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ms_navigator import engine, model
from ms_navigator.errors import NavigatorError


@dataclass(frozen=True)
class _Counterfactual:
    """What a replay with one answer changed still contains."""

    changed: engine.Answered
    steps: frozenset[str]
    services: frozenset[str]


def _alternatives(pack: model.Pack, answered: engine.Answered) -> list[str]:
    node = pack.pathway(answered.pathway).node(answered.node)
    assert isinstance(node, model.QuestionNode)
    return [o.value for o in node.options if o.value != answered.value]


def _replays(pack: model.Pack, start: str, plan: engine.Plan) -> list[_Counterfactual]:
    replays = []
    for answered in plan.transcript:
        for value in _alternatives(pack, answered):
            # What was asked, not what followed from it: a derived fact must follow anew.
            answers = {**{a.fact: a.value for a in plan.transcript}, answered.fact: value}
            try:
                walk = engine.walk(pack, engine.Session(start, tuple(answers.items())))
            except NavigatorError:
                continue  # a route that cannot run says nothing about this step
            replays.append(_Counterfactual(
                answered,
                frozenset(s.step.id for s in (walk.final if walk.final is not None
                                              else walk.steps)),
                frozenset(o.service.id for o in walk.offers),
            ))
    return replays


def _trail(replays: list[_Counterfactual], gone: frozenset[engine.Answered]) -> tuple[engine.Answered, ...]:
    return tuple(r for r in dict.fromkeys(c.changed for c in replays) if r in gone)


def explain(pack: model.Pack, start: str, plan: engine.Plan) -> engine.Plan:
    """Return the plan with `because` set on every step and service."""
    replays = _replays(pack, start, plan)
    steps = tuple(
        replace(s, because=_trail(replays, frozenset(
            c.changed for c in replays if s.step.id not in c.steps)))
        for s in plan.steps
    )
    offers = tuple(
        replace(o, because=_trail(replays, frozenset(
            c.changed for c in replays if o.service.id not in c.services)))
        for o in plan.offers
    )
    return replace(plan, steps=steps, offers=offers)


def describe(answered: engine.Answered) -> str:
    """Return one reason in words, e.g. 'Could the person be under 18? = Not sure'."""
    return f"{answered.question} = {answered.label}"
