"""Every path through the pathways: each combination of answers a user could give, to its plan."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from ms_navigator import collector, engine, model
from ms_navigator.errors import NavigatorError, StateLimit

MAX_STATES = 1_000
"""The most distinct states the exhaustive checks may meet at any one question, by default.

The shipped pack needs at most 350 (at the housing eligibility question, where NRM status,
gender and five other answers still matter) and 1,113 in all (`Endings`); the synthetic packs of
`benchmarks/` need one or two per question. N chained yes/no questions that one later branch
reads together need 2^(N-1) at the last question: the limit refuses them in about a second,
before time and memory run out."""
MAX_STATES_ENV = "MS_NAVIGATOR_MAX_STATES"


def max_states(given: int | str | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Return the state limit: `given` (`--max-states`), else MS_NAVIGATOR_MAX_STATES, else
    MAX_STATES. Raise NavigatorError (exit 2) for anything but a whole number of 1 or more."""
    env = os.environ if environ is None else environ
    raw = given if given is not None else env.get(MAX_STATES_ENV) or None
    if raw is None:
        return MAX_STATES
    text = str(raw).strip()
    if not text.isdigit() or int(text) < 1 or len(text) > 12:
        source = "--max-states" if given is not None else MAX_STATES_ENV
        raise NavigatorError(f"{source} must be a whole number of 1 or more, not {text[:40]!r}.")
    return int(text)


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


@dataclass(frozen=True)
class Ending:
    """One complete path as ids: its answers, the plan's steps in plan order, its services."""

    answers: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    services: tuple[str, ...]


State = tuple[object, ...]
L = TypeVar("L")


def explore_states(first: engine.Walk, state_of: Callable[[engine.Walk], State],
                   edge: Callable[[engine.Walk, str], tuple[L, engine.Walk | None]],
                   edges: dict[State, list[tuple[L, State | None]]],
                   limit: int = MAX_STATES,
                   at: dict[State, int] | None = None) -> State:
    """Add to `edges` every state reachable from a paused walk, each explored once, with one
    edge an answer: what `edge` says of it, and the state it leads to (None where the walk
    ends there, `edge` giving no walk to go on from). Return the first walk's state.

    `state_of` must give two paused walks the same state only when every answer takes them the
    same way (see `ahead.Places.future`): that is what lets one exploration stand for every
    path through a state, from whichever pathway's start. A state starts with the pathway and
    question it waits at; more than `limit` states at one question raise StateLimit.

    `at` is how many states each question (pathway and node) has in `edges`, kept up to date
    here: a caller exploring from many starts into the same `edges` keeps it, so that the
    states of earlier starts are not counted again at each start (that was quadratic in the
    starts: 1,000 pathways at 100,000 nodes). Without it they are counted from `edges`.
    """
    root = state_of(first)
    todo = [(root, first)]
    if at is None:
        at = {}
        for state in edges:  # states met from earlier starts count too
            at[state[:2]] = at.get(state[:2], 0) + 1
    with collector.paused():  # many small objects and no cycles
        while todo:
            state, walk = todo.pop()
            if state in edges:
                continue  # another path, perhaps from another start, got here first
            assert walk.pending is not None
            count = at[state[:2]] = at.get(state[:2], 0) + 1
            if count > limit:
                raise StateLimit(str(state[0]), str(state[1]), limit, _kept_apart(edges, state[:2]))
            out: list[tuple[L, State | None]] = []
            edges[state] = out
            for value in walk.pending.values():
                label, after = edge(walk, value)
                if after is None:
                    out.append((label, None))
                else:
                    child = state_of(after)
                    out.append((label, child))
                    todo.append((child, after))
    return root


def _kept_apart(edges: Mapping[State, object], where: tuple[object, ...]) -> tuple[str, ...]:
    """Return the facts whose answers differ between the states waiting at one question."""
    states: list[dict[str, object]] = [dict(s[3]) for s in edges if s[:2] == where]  # type: ignore[call-overload]
    facts = {fact for known in states for fact in known}
    return tuple(sorted(f for f in facts if len({known.get(f, _UNKNOWN) for known in states}) > 1))


_UNKNOWN = object()
"""Stands for a fact not yet known, to tell it apart from every value."""


Added = tuple[tuple[str, str], tuple[model.StepDef, ...], tuple[str, ...]]


class Endings:
    """Every path of a pack as ids, found through states rather than walked one by one.

    Paths that reach the same state (`ahead.Places.future`) go on in exactly the same ways,
    adding the same steps and services: the engine runs once per state and answer (states are
    shared by every pathway's start), and the paths are then read off the states. What
    `impact` compares, for every path of two packs.
    """

    def __init__(self, pack: model.Pack, limit: int = MAX_STATES) -> None:
        from ms_navigator.ahead import Places

        self.pack = pack
        self.limit = limit
        self.places = Places(pack)
        self.edges: dict[State, list[tuple[Added, State | None]]] = {}
        self._at: dict[State, int] = {}
        """How many states each question has in `edges` (see `explore_states`)."""
        self.first = pack.policy.first_step
        self._orders: dict[tuple[str, ...], tuple[str, ...]] = {}
        """The plan order of each list of steps met (many paths end with the same steps)."""

    def __call__(self, start: str | None = None) -> list[Ending]:
        """Return what `outcomes` yields from a start, as ids, in the same order."""
        first = engine.walk(self.pack, engine.start(self.pack, start))
        steps = tuple(s.step for s in first.steps)
        services = tuple(o.service.id for o in first.offers)
        if first.pending is None:
            return [self._ending((), steps, services)]
        root = explore_states(first, lambda w: self.places.future(w)[0], self._added, self.edges,
                              self.limit, self._at)
        found: list[Ending] = []
        todo: list[tuple[State | None, tuple[tuple[str, str], ...], tuple[model.StepDef, ...],
                         tuple[str, ...]]] = [(root, (), steps, services)]
        while todo:  # depth-first, first answer first, like `outcomes`
            state, answers, steps, services = todo.pop()
            if state is None:
                found.append(self._ending(answers, steps, services))
                continue
            todo.extend((child, answers + (answer,), steps + more_steps, services + more_services)
                        for (answer, more_steps, more_services), child in reversed(self.edges[state]))
        return found

    def _added(self, walk: engine.Walk, value: str) -> tuple[Added, engine.Walk | None]:
        """Return an answer with the steps and services it adds, and the walk if it goes on."""
        assert walk.pending is not None
        after = engine.proceed(self.pack, walk, value, plan=False)
        added = ((walk.pending.fact, value), tuple(s.step for s in after.steps[len(walk.steps):]),
                 tuple(o.service.id for o in after.offers[len(walk.offers):]))
        return added, (None if after.pending is None else after)

    def _ending(self, answers: tuple[tuple[str, str], ...], steps: tuple[model.StepDef, ...],
                services: tuple[str, ...]) -> Ending:
        """Return the ending with steps ordered and both lists without repeats, as in a plan."""
        unique = {s.id: s for s in steps}  # first place kept
        key = tuple(unique)
        if key not in self._orders:
            dropped = engine.replaced_ids(unique.values())
            self._orders[key] = tuple(s.id for s in engine.ordered(
                tuple(s for s in unique.values() if s.id not in dropped), self.first))
        return Ending(answers, self._orders[key], tuple(dict.fromkeys(services)))
