"""The question loop of `ms-navigator start`: engine in the middle, an asker and a screen at the edges."""

from __future__ import annotations

from collections.abc import Callable

from ms_navigator import engine, model
from ms_navigator.engine import Plan, Walk
from ms_navigator.prompts import BACK, Asker

Show = Callable[[Walk], None]
"""Called before each question (and at the end) with the walk so far, to show guidance."""


def run(pack: model.Pack, session: engine.Session, asker: Asker, show: Show) -> Plan:
    """Ask questions until the plan is complete; return it. Ctrl-C propagates to the caller."""
    while True:
        walk = engine.walk(pack, session)
        show(walk)
        if walk.pending is None:
            return engine.complete(pack, session.start, walk)
        picked = asker.ask(walk.pending, can_go_back=bool(walk.transcript))
        if picked == BACK:
            session = engine.back(pack, session)
        else:
            session = engine.answer(pack, session, picked)
