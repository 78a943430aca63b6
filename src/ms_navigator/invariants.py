"""Safety invariants checked on every path: each broken one comes with its shortest counterexample.

Paths that reach the same state (the same question and places to return to, the same values of
the facts still to matter, and the same of what each invariant can still depend on) are
explored once, whatever pathway they started from. The shortest counterexamples and the number
of paths are then found by a backward pass over the states, not by walking each path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ms_navigator import conditions, engine, explore, model
from ms_navigator.ahead import Ahead, Places
from ms_navigator.errors import FlowError, StateLimit


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
    """Evaluate a condition on a finished path's facts; a fact never asked makes `{fact, in}`
    false (and `known` false)."""
    return conditions.evaluate(cond, facts) is True


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
    """Broken invariants (shortest counterexample each), stuck paths by pathway, how much was
    explored (distinct states, and the complete paths through them), and the invariants whose
    `when` held on no path at all (so they check nothing). `limit` is set, and nothing else
    can be relied on, when the search stopped at the state limit."""

    broken: dict[str, Counterexample]
    stuck: dict[str, Counterexample]
    states: int
    paths: int = 0
    vacuous: tuple[str, ...] = ()
    limit: StateLimit | None = None


_SORTS_FIRST = (False, 0)
"""`engine.step_order` of a step nothing can come before (the policy's first step)."""


class _Watch:
    """What decides how a paused path can still finish, and how every invariant judges it.

    Two paths waiting at the same question, with the same places to return to, the same values
    of every fact a node ahead may read (and the same facts known, where a node ahead asks
    whether), and the same summary for each invariant, finish in the same ways with the same
    verdicts: one stands for both. An invariant's summary is None once
    nothing ahead can change its verdict from "holds" (its `when` is false, or everything it
    requires is settled); otherwise it keeps just what its verdict can still depend on.
    """

    def __init__(self, pack: model.Pack, invariants: list[model.Invariant],
                 applied: set[str]) -> None:
        self.pack = pack
        self.invariants = invariants
        self.places = Places(pack)
        self.applied = applied
        self.replacers: dict[str, frozenset[str]] = {}
        """For each step, the steps that leave it out of a plan that has them (`replaces`)."""
        for step in pack.steps.values():
            for gone in step.replaces:
                if gone != step.id:
                    self.replacers[gone] = self.replacers.get(gone, frozenset()) | {step.id}

    def _order(self, step: model.StepDef) -> tuple[bool, int]:
        return engine.step_order(step, self.pack.policy.first_step)

    def state(self, walk: engine.Walk) -> tuple[object, ...]:
        """Return the state a paused walk is in, for merging paths that finish alike."""
        future, ahead = self.places.future(walk)
        return (*future, self.summaries(walk, walk.facts, ahead))

    def broken(self, done: engine.Walk) -> frozenset[str]:
        """Return the invariants a finished walk breaks: with nothing ahead, an invariant not
        settled is one whose `when` holds and whose requirement does not."""
        verdicts = self.summaries(done, done.facts, Ahead())
        return frozenset(i.id for i, v in zip(self.invariants, verdicts, strict=True) if v is not None)

    def summaries(self, walk: engine.Walk, facts: dict[str, str],
                  ahead: Ahead) -> tuple[tuple[object, ...] | None, ...]:
        """Return each invariant's summary; on a finished walk (nothing ahead) a summary that
        is not None means the invariant is broken."""
        planned = {s.step.id: s.step for s in walk.steps}
        dropped = engine.replaced_ids(planned.values())
        steps = {k: v for k, v in planned.items() if k not in dropped}  # as the plan has them
        services = {o.service.id for o in walk.offers}
        return tuple(self._summary(inv, facts, steps, services, ahead, planned)
                     for inv in self.invariants)

    def _summary(self, inv: model.Invariant, facts: dict[str, str], steps: dict[str, model.StepDef],
                 services: set[str], ahead: Ahead,
                 planned: dict[str, model.StepDef]) -> tuple[object, ...] | None:
        when = conditions.evaluate(inv.when, facts, ahead.asks)
        if when is False:
            return None
        need = inv.require
        first = (next(iter(engine.ordered(tuple(steps.values()), self.pack.policy.first_step)), None)
                 if need.first_step else None)
        if when:
            self.applied.add(inv.id)  # true now, so true however the path finishes
            if self._settled(need, facts, steps, services, ahead, first):
                return None
        return (when if when is not None else
                frozenset((f, facts[f]) for f in conditions.facts_read(inv.when) if f in facts),
                frozenset(s for s in (*need.steps, *need.no_steps) if s in steps),
                frozenset(s for s in (*need.services, *need.no_services) if s in services),
                frozenset(f for f in need.not_asked if f in facts),
                self._first_group(steps, first),
                # a step planned that leaves out one the invariant names, now or if it comes
                frozenset(r for s in (*need.steps, *need.no_steps)
                          for r in self.replacers.get(s, ()) if r in planned))

    def _first_group(self, steps: dict[str, model.StepDef],
                     first: model.StepDef | None) -> tuple[str, ...] | None:
        """Return the steps so far that sort with the plan's first step, in the order added:
        with the steps still to come, what decides which step ends up first (`engine.ordered`
        orders a group by `after`, then by the order steps were added)."""
        if first is None:
            return None
        rank = self._order(first)
        return tuple(s.id for s in steps.values() if self._order(s) == rank)

    def _settled(self, need: model.Require, facts: dict[str, str],
                 steps: dict[str, model.StepDef], services: set[str], ahead: Ahead,
                 first: model.StepDef | None) -> bool:
        """Return True if the requirement holds now and nothing ahead can break it."""
        if need.first_step is not None:
            if first is None or first.id != need.first_step:
                return False
            rank = self._order(first)
            # A step ahead that sorts with it may still come first, through `after`.
            if rank != _SORTS_FIRST and any(self._order(self.pack.steps[s]) <= rank
                                            for s in ahead.steps):
                return False
        return (all(s in steps and not self.replacers.get(s, frozenset()) & ahead.steps
                    for s in need.steps)
                and all(s in services for s in need.services)
                and not any(s in steps or s in ahead.steps for s in need.no_steps)
                and not any(s in services or s in ahead.services for s in need.no_services)
                and not any(f in facts or f in ahead.asks for f in need.not_asked))


State = explore.State
Edge = tuple[tuple[tuple[str, str], "_End | None"], "State | None"]
"""An answer out of a state, what happens if the walk ends there, and the state it leads to."""


@dataclass(frozen=True)
class _End:
    """Where an answer finishes the walk: the invariants it breaks there, or why it is stuck."""

    broken: frozenset[str] = frozenset()
    stuck: str | None = None


class _Graph:
    """Every state reachable from any pathway's start, each explored once whatever the start,
    with the answers that lead out of it; then counted and searched backwards."""

    def __init__(self, pack: model.Pack, watch: _Watch, limit: int) -> None:
        self.pack = pack
        self.watch = watch
        self.limit = limit
        self.edges: dict[State, list[Edge]] = {}
        self._paths: dict[State, int] = {}
        self._shortest: dict[State, dict[str, tuple[int, int]]] = {}

    def explore(self, first: engine.Walk) -> State:
        """Explore every state reachable from a walk paused at its first question."""
        return explore.explore_states(first, self.watch.state, self._answer, self.edges,
                                      self.limit)

    def _answer(self, walk: engine.Walk, value: str) -> tuple[tuple[tuple[str, str], _End | None],
                                                             engine.Walk | None]:
        """Return an answer with how the walk ends there (if it does), and the walk going on."""
        assert walk.pending is not None
        answer = (walk.pending.fact, value)
        try:
            after = engine.proceed(self.pack, walk, value)
        except FlowError as err:
            return (answer, _End(stuck=str(err))), None
        if after.pending is None:
            return (answer, _End(broken=self.watch.broken(after))), None
        return (answer, None), after

    def paths(self, state: State) -> int:
        """Return how many complete paths lead on from a state (states never repeat on a path:
        each answer adds a fact, so they form a DAG and each is counted once)."""
        if state not in self._paths:
            self._paths[state] = sum(1 if to is None else self.paths(to)
                                     for _, to in self.edges[state])
        return self._paths[state]

    def shortest(self, state: State) -> dict[str, tuple[int, int]]:
        """Return, for each invariant broken (and STUCK) below a state, the fewest answers that
        get there and which of the state's edges starts them (the first such, on a tie)."""
        if state not in self._shortest:
            best: dict[str, tuple[int, int]] = {}
            for i, ((_, end), to) in enumerate(self.edges[state]):
                if to is None:
                    assert end is not None
                    reached = {key: 1 for key in end.broken | ({STUCK} if end.stuck else set())}
                else:
                    reached = {key: n + 1 for key, (n, _) in self.shortest(to).items()}
                for key, n in reached.items():
                    if key not in best or n < best[key][0]:
                        best[key] = (n, i)
            self._shortest[state] = best
        return self._shortest[state]

    def way_to(self, state: State, key: str) -> tuple[tuple[tuple[str, str], ...], _End]:
        """Return the fewest answers from a state to where `key` breaks, and that end."""
        answers = []
        while True:
            (answer, end), to = self.edges[state][self.shortest(state)[key][1]]
            answers.append(answer)
            if to is None:
                assert end is not None
                return tuple(answers), end
            state = to


def search(pack: model.Pack, limit: int = explore.MAX_STATES,
           built_in: bool = True) -> SearchResult:
    """Return the shortest counterexample of each broken invariant over every pathway, and
    for each pathway the shortest answers from its start that the engine cannot finish.

    The contract's safety rules (`safety.rules()`) are checked with the pack's own invariants,
    whatever the pack says: its invariants file can add rules, never remove these. More than
    `limit` states at one question stop the search: the result then says where.
    """
    from ms_navigator import safety

    invariants = [*(safety.rules() if built_in else ()), *pack.invariants.values()]
    applied: set[str] = set()
    watch = _Watch(pack, invariants, applied)
    graph_ = _Graph(pack, watch, limit)
    try:
        return _search(pack, invariants, applied, watch, graph_)
    except StateLimit as err:
        return SearchResult({}, {}, len(graph_.edges), limit=err)


def _search(pack: model.Pack, invariants: list[model.Invariant], applied: set[str],
            watch: _Watch, graph_: _Graph) -> SearchResult:
    """Explore from every pathway's start into one graph of states; read the results off it."""
    by_id = {i.id: i for i in invariants}
    best: dict[str, Counterexample] = {}
    stuck: dict[str, Counterexample] = {}
    paths = 0
    for start in pack.starts:
        try:
            first = engine.walk(pack, engine.start(pack, start))
        except FlowError as err:  # the walk cannot even reach the first question
            stuck[start] = Counterexample(STUCK, start, (), (str(err),))
            continue
        if first.pending is None:
            paths += 1
            for inv_id in watch.broken(first):
                best.setdefault(inv_id, _example(pack, by_id[inv_id], start, ()))
            continue
        root = graph_.explore(first)
        paths += graph_.paths(root)
        for key, (n, _) in sorted(graph_.shortest(root).items()):
            answers, end = graph_.way_to(root, key)
            if key == STUCK:
                stuck[start] = Counterexample(STUCK, start, answers, (str(end.stuck),))
            elif key not in best or n < len(best[key].answers):
                best[key] = _example(pack, by_id[key], start, answers)
    vacuous = tuple(i.id for i in pack.invariants.values() if i.id not in applied)
    return SearchResult(best, stuck, len(graph_.edges), paths, vacuous)


def _example(pack: model.Pack, invariant: model.Invariant, start: str,
             answers: tuple[tuple[str, str], ...]) -> Counterexample:
    """Return the counterexample these answers give, saying what the plan does wrong."""
    plan = engine.walk(pack, engine.Session(start, answers)).plan()
    return Counterexample(invariant.id, start, answers, tuple(broken(invariant, plan)))


def counterexamples(pack: model.Pack) -> dict[str, Counterexample]:
    """Return, for each broken invariant, the shortest counterexample over every pathway."""
    return search(pack).broken
