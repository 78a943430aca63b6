"""The question loop of `ms-navigator start`: engine in the middle, an asker and a screen at the edges.

After the last question a review screen lists the answers; changing one drops every later
answer no longer on the path (engine.change) and asks only what is new. Every change of the
session is handed to `save`, so an interruption loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ms_navigator import engine, model
from ms_navigator.engine import Plan, Walk
from ms_navigator.prompts import BACK, DONE, PAUSE, QUIT, Asker

Show = Callable[[Walk], None]
"""Called before each question (and at the end) with the walk so far, to show guidance."""
Save = Callable[[engine.Session], None]
"""Called with the session after every answer, going back or change."""


class Left(Exception):
    """The user left before the plan: by the quick exit (`delete` True) or by pausing."""

    def __init__(self, delete: bool) -> None:
        self.delete = delete
        super().__init__("quick exit" if delete else "paused")


def run(pack: model.Pack, session: engine.Session, asker: Asker, show: Show,
        save: Save = lambda session: None) -> Plan:
    """Ask questions, then review, until the answers are confirmed; return the plan.

    Raise Left when the user pauses or takes the quick exit. Ctrl-C propagates to the caller.
    """
    while True:
        walk = engine.walk(pack, session)
        show(walk)
        if walk.pending is None:
            picked = asker.review(walk.transcript)
            if picked == DONE:
                from ms_navigator import plans  # the plan's reasons: at the end, not the start

                return plans.complete(pack, session.start, walk)
            _leave_if_asked(picked)
            session = _change(pack, session, picked, asker)
        else:
            picked = asker.ask(walk.pending, can_go_back=bool(walk.transcript))
            _leave_if_asked(picked)
            session = (engine.back(pack, session) if picked == BACK
                       else engine.answer(pack, session, picked))
        save(session)


def _change(pack: model.Pack, session: engine.Session, fact: str, asker: Asker) -> engine.Session:
    """Ask one earlier question again; return the session with the new answer (or unchanged)."""
    question = engine.question_for(pack, session, fact)
    picked = asker.ask(question, can_go_back=True, current=session.answer_map()[fact])
    _leave_if_asked(picked)
    if picked == BACK:
        return session
    return engine.change(pack, session, fact, picked)


def _leave_if_asked(picked: str) -> None:
    if picked in (PAUSE, QUIT):
        raise Left(delete=picked == QUIT)
