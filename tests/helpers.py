"""Small assertions that read like the protocol."""

from __future__ import annotations

from collections.abc import Mapping

from ms_navigator import engine, model, plans


def session_with(pack: model.Pack, answers: Mapping[str, str], start: str | None = None) -> engine.Session:
    """Return a session that has answered, in order, the questions the answers reach."""
    session = engine.start(pack, start)
    while True:
        pending = engine.walk(pack, session).pending
        if pending is None or pending.fact not in answers:
            return session
        session = engine.answer(pack, session, answers[pending.fact])


def assert_next(pack: model.Pack, answers: Mapping[str, str], expect: str | None,
                start: str | None = None) -> None:
    """Assert which fact is asked next after these answers (None: the plan is complete)."""
    pending = engine.walk(pack, session_with(pack, answers, start)).pending
    assert (pending.fact if pending else None) == expect


def plan_for(pack: model.Pack, answers: Mapping[str, str], start: str | None = None) -> engine.Plan:
    return plans.run_scripted(pack, start, answers)
