"""Every path through the pathways: each combination of answers a user could give, to its plan."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ms_navigator import engine, model


@dataclass(frozen=True)
class Outcome:
    """One complete path: the answers in the order asked, and the plan they lead to."""

    answers: tuple[tuple[str, str], ...]
    plan: engine.Plan


def describe_path(start: str, answers: tuple[tuple[str, str], ...]) -> str:
    """Return a path in words a policy lead can replay: "from 'nrm-pre' with a=x, b=y"."""
    given = ", ".join(f"{fact}={value}" for fact, value in answers) or "no answers"
    return f"from '{start}' with {given}"


def outcomes(pack: model.Pack, start: str | None = None) -> Iterator[Outcome]:
    """Yield the outcome of every distinct sequence of answers from a pathway's start.

    Depth-first; each answer continues the paused walk (`engine.proceed`), so a path costs
    only its own last part, not a replay from the start.
    """
    stack = [engine.walk(pack, engine.start(pack, start))]
    while stack:
        walk = stack.pop()
        if walk.pending is None:
            yield Outcome(walk.answers, walk.plan())
            continue
        stack.extend(engine.proceed(pack, walk, value) for value in reversed(walk.pending.values()))
