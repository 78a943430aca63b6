"""Safety invariants checked on every path: each broken one comes with its shortest counterexample.

The search is breadth-first over answers, so the first path found that breaks an invariant is
one of the shortest. Paths that reach the same state (the same question, the same steps and
services so far, and the same values of the facts still to matter) are explored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ms_navigator import engine, explore, model
from ms_navigator.errors import FlowError
from ms_navigator.reads import Reads


@dataclass(frozen=True)
class Counterexample:
    """The shortest answers found, from a pathway's start, whose plan breaks an invariant."""

    invariant: str
    start: str
    answers: tuple[tuple[str, str], ...]
    broken: tuple[str, ...]

    def describe(self) -> str:
        """Return the answers and what went wrong, in one line."""
        return f"{explore.describe_path(self.start, self.answers)}: {'; '.join(self.broken)}"


def when_holds(cond: model.Condition, facts: Mapping[str, str]) -> bool:
    """Evaluate a condition on a path's facts; a fact never asked makes `{fact, in}` false."""
    if isinstance(cond, model.FactIn):
        return facts.get(cond.fact) in cond.in_
    if isinstance(cond, model.Known):
        return cond.known in facts
    if isinstance(cond, model.AllOf):
        return all(when_holds(c, facts) for c in cond.all)
    if isinstance(cond, model.AnyOf):
        return any(when_holds(c, facts) for c in cond.any)
    return not when_holds(cond.not_, facts)


def broken(invariant: model.Invariant, plan: engine.Plan) -> list[str]:
    """Return what a plan does against an invariant (empty if the invariant holds)."""
    if not when_holds(invariant.when, plan.facts):
        return []
    need = invariant.require
    steps, services = plan.step_ids(), plan.service_ids()
    found = [f"no step {s}" for s in need.steps if s not in steps]
    found += [f"step {s} is in the plan" for s in need.no_steps if s in steps]
    found += [f"no service {s}" for s in need.services if s not in services]
    found += [f"service {s} is in the plan" for s in need.no_services if s in services]
    found += [f"{f} was asked" for f in need.not_asked if f in plan.facts]
    if need.first_step is not None and steps[:1] != [need.first_step]:
        found.append(f"first step is {steps[0] if steps else 'none'}, not {need.first_step}")
    return found


STUCK = "stuck"
"""The key under which a search reports the shortest path the engine cannot finish."""


@dataclass(frozen=True)
class SearchResult:
    """Broken invariants (shortest counterexample each), stuck paths by pathway, states walked,
    and the invariants whose `when` held on no path at all (so they check nothing)."""

    broken: dict[str, Counterexample]
    stuck: dict[str, Counterexample]
    states: int
    vacuous: tuple[str, ...] = ()


def _state(walk: engine.Walk, answers: tuple[tuple[str, str], ...], reads: Reads,
           watched: frozenset[str]) -> tuple[object, ...]:
    """Return what decides everything still to come on this path, and every invariant's verdict.

    Two paths at the same question, with the same places to return to, the same steps and
    services so far, and the same values of every fact still to be read (or read by an
    invariant) finish in the same ways: only one of them needs exploring.
    """
    assert walk.pending is not None
    relevant = set(watched) | reads.after(walk.pending.pathway, walk.pending.node)
    for pathway_id, node_id in walk.returns:
        relevant |= reads.after(pathway_id, node_id)
    return (walk.pending.pathway, walk.pending.node, walk.returns,
            frozenset((f, v) for f, v in answers if f in relevant),
            tuple(s.step.id for s in walk.steps), tuple(o.service.id for o in walk.offers))


def _watched(invariants: list[model.Invariant]) -> frozenset[str]:
    """Return the facts that invariants read."""
    from ms_navigator import graph

    found: set[str] = set()
    for inv in invariants:
        found |= {t.fact for t, _ in graph.condition_tests(inv.when)}
        found |= {fact for fact, _ in graph.known_tests(inv.when)}
        found |= set(inv.require.not_asked)
    return frozenset(found)


def _search(pack: model.Pack, start: str, invariants: list[model.Invariant], reads: Reads,
            applied: set[str]) -> tuple[dict[str, Counterexample], int]:
    """Breadth-first over answers from one pathway; return the first break of each invariant
    (and under STUCK the first path that cannot be finished), and how many states were walked.
    Add to `applied` every invariant whose `when` held on a finished path."""
    found: dict[str, Counterexample] = {}
    watched = _watched(invariants)
    level = [engine.Session(start)]
    seen: set[tuple[object, ...]] = set()
    while level:
        following: list[engine.Session] = []
        for session in level:
            try:
                walk = engine.walk(pack, session)
            except FlowError as err:
                found.setdefault(STUCK, Counterexample(STUCK, start, session.answers, (str(err),)))
                continue
            if walk.pending is None:
                plan = walk.plan()
                applied.update(i.id for i in invariants if when_holds(i.when, plan.facts))
                for inv in invariants:
                    if inv.id not in found and (why := broken(inv, plan)):
                        found[inv.id] = Counterexample(inv.id, start, session.answers, tuple(why))
                continue
            state = _state(walk, session.answers, reads, watched)
            if state in seen:
                continue  # an earlier (so no longer) path reached the same state
            seen.add(state)
            following.extend(engine.Session(start, session.answers + ((walk.pending.fact, v),))
                             for v in walk.pending.values())
        level = following
    return found, len(seen)


def search(pack: model.Pack) -> SearchResult:
    """Return the shortest counterexample of each broken invariant over every pathway, and
    for each pathway the shortest answers from its start that the engine cannot finish."""
    invariants = list(pack.invariants.values())
    reads = Reads(pack)
    best: dict[str, Counterexample] = {}
    stuck: dict[str, Counterexample] = {}
    states = 0
    applied: set[str] = set()
    for start in sorted(pack.pathways):
        found, walked = _search(pack, start, invariants, reads, applied)
        states += walked
        for inv_id, example in found.items():
            if inv_id == STUCK:
                stuck[start] = example
            elif inv_id not in best or len(example.answers) < len(best[inv_id].answers):
                best[inv_id] = example
    vacuous = tuple(i.id for i in invariants if i.id not in applied)
    return SearchResult(best, stuck, states, vacuous)


def counterexamples(pack: model.Pack) -> dict[str, Counterexample]:
    """Return, for each broken invariant, the shortest counterexample over every pathway."""
    return search(pack).broken
