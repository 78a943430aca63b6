"""Safety invariants checked on every path: each broken one comes with its shortest counterexample.

Paths that reach the same state (the same question and places to return to, the same values of
the facts still to matter) are explored once, whatever pathway they started from: the engine
runs once per state and answer. Each invariant is then followed over those states on its own,
with only what of the path it reads (`_Lens`) and its summary of it, until nothing ahead can
break it: invariants never multiply each other's states. The shortest counterexamples and the
number of paths are found backwards over the states, not by walking each path.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, cached_property
from typing import NamedTuple

from ms_navigator import collector, conditions, engine, explore, model
from ms_navigator.ahead import Ahead, Places
from ms_navigator.errors import FlowError, PlanLimit, StateLimit, plan_limit_message


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


def when_holds(cond: model.Condition | None, facts: Mapping[str, str]) -> bool:
    """Evaluate a condition on a finished path's facts; a fact never asked makes `{fact, in}`
    false (and `known` false). No condition holds everywhere."""
    return cond is None or conditions.evaluate(cond, facts) is True


@cache
def words(text: str) -> int:
    """Return the number of words in a text, as a reader counts them (split on spaces); a
    pack has few texts, counted again and again by the checks of every path."""
    return len(text.split())


def step_words(step: model.StepDef) -> int:
    """Return the words a plan shows for a step by default: its one-sentence summary (the
    detail beneath it is folded away on screen unless asked for with --explain)."""
    return words(step.summary)


def guidance_words(note: engine.Guidance) -> int:
    """Return the words of guidance passed on the way (its title and text), as a plan shows it."""
    return words(note.title) + words(note.text)


def plan_size(plan: engine.Plan) -> tuple[int, int]:
    """Return how long a plan is: its steps, and the words of its steps and guidance. The one
    measure that budgets (`max_steps`, `max_words`) and the lengths `lint` reports use."""
    return (len(plan.steps), sum(step_words(s.step) for s in plan.steps)
            + sum(guidance_words(g) for g in plan.guidance))


Held = Mapping[str, Container[str]]
"""The ids a plan holds (or may still get), by kind: "step", "service", "contact"."""


def _in(kind: str, ident: str, held: Held) -> bool:
    return ident in held[kind]


def broken(invariant: model.Invariant, plan: engine.Plan) -> list[str]:
    """Return what a plan does against an invariant (empty if the invariant holds)."""
    if not when_holds(invariant.when, plan.facts):
        return []
    need = invariant.require
    steps, services = plan.step_ids(), plan.service_ids()
    groups: list[model.Items] = [*need.never_together, *need.only_when, *need.mentions]
    held = {"step": steps, "service": services,
            "contact": ({c.id for s in plan.steps for c in s.contacts}
                        if any(g.contacts for g in groups) else set())}
    found = [f"no step {s}" for s in need.steps if s not in steps]
    found += [f"step {s} is in the plan" for s in need.no_steps if s in steps]
    found += [f"no service {s}" for s in need.services if s not in services]
    found += [f"service {s} is in the plan" for s in need.no_services if s in services]
    found += [f"{f} was asked" for f in need.not_asked if f in plan.facts]
    if need.first_step is not None and steps[:1] != [need.first_step]:
        found.append(f"first step is {steps[0] if steps else 'none'}, not {need.first_step}")
    for group in need.never_together:
        both = [f"{k} {i}" for k, i in group.ids() if _in(k, i, held)]
        if len(both) > 1:
            found.append(f"{' and '.join(both)} are both in the plan")
    for rule in need.only_when:
        if not when_holds(rule.when, plan.facts):
            found += [f"{k} {i} is in the plan but its condition does not hold"
                      for k, i in rule.ids() if _in(k, i, held)]
    for mention in need.mentions:
        if mention.by_step in steps:
            found += [f"step {mention.by_step} points to {k} {i}, which is not in the plan"
                      for k, i in mention.ids() if not _in(k, i, held)]
    if not need.budgets():
        return found
    size = plan_size(plan)
    if need.max_steps is not None and size[0] > need.max_steps:
        found.append(f"the plan has {size[0]} steps (at most {need.max_steps})")
    if need.max_words is not None and size[1] > need.max_words:
        found.append(f"the plan shows {size[1]:,} words (at most {need.max_words:,})")
    return found


PLANS_PER_STATE = 20
"""The partial plans the plan lengths may count apart at one question (for all plans, and
again for each budget's), for each state the limit allows there (`--max-states`): 20,000 by
default, where the shipped pack needs about 5,800 in all (7,200 with budgets read by
organisation). A bound at one question, like the state limit, so that a larger pack of the
same shape is counted as surely as a small one (a bound on the whole pack stopped counting
the 100,000-node synthetic pack after 282 of its 1,000 pathways).
A pack that adds the same steps again in many places needs far more (the 1,000-node synthetic
pack of `benchmarks/` about 110,000), and counting them would cost more than every other check."""


class _TooManyPlans(Exception):
    """The plan lengths met more partial plans than they may count, first at this state."""

    def __init__(self, state: State) -> None:
        super().__init__(state)
        self.state = state


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
    lengths: Lengths | None = None
    lengths_skipped: str | None = None
    """Why the plan lengths were not counted (`lengths` is then None), where they were not."""


@dataclass(frozen=True)
class Lengths:
    """How long the plans at the ends of every path are (`plan_size`): the median (the lower
    of the two middle ones, on an even count) and the largest, in steps and in words."""

    paths: int
    median_steps: int
    most_steps: int
    median_words: int
    most_words: int

    @classmethod
    def of(cls, steps: Mapping[int, int], words_: Mapping[int, int]) -> Lengths | None:
        """Return the lengths from how many paths end in a plan of each size (None: no path)."""
        total = sum(steps.values())
        if not total:
            return None
        return cls(total, _median(steps, total), max(steps), _median(words_, total), max(words_))

    def describe(self) -> str:
        """Return the lengths in words, as `lint` prints them."""
        return (f"plan length over every path: median {self.median_steps} steps and "
                f"{self.median_words:,} words, largest {self.most_steps} steps and "
                f"{self.most_words:,} words")


def _median(counts: Mapping[int, int], total: int) -> int:
    """Return the lower median of values given as value -> how many times it occurs."""
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if 2 * seen >= total:
            return value
    raise AssertionError("counts add up to total")


_SORTS_FIRST = (False, 0)
"""`engine.step_order` of a step nothing can come before (the policy's first step)."""


class _Watch:
    """What decides how a paused path can still finish, and how each invariant judges it.

    Two paths waiting at the same question, with the same places to return to, the same values
    of every fact a node ahead may read (and the same facts known, where a node ahead asks
    whether), go on the same ways (`state`). For one invariant, two such paths with the same
    summary (`summary`) also get the same verdicts: one stands for both. An invariant's
    summary is None once nothing ahead can change its verdict from "holds" (its `when` is
    false, or everything it requires is settled); otherwise it keeps just what its verdict can
    still depend on: the steps and services it names that are in the plan, the facts its
    conditions read that are known. A budget (`max_steps`, `max_words`) is no part of a
    summary, only whether its `when` holds: the lengths are counted over the states
    afterwards (`_Lengths`), so that paths of different lengths still merge.
    """

    def __init__(self, pack: model.Pack, invariants: list[model.Invariant],
                 applied: set[str]) -> None:
        self.pack = pack
        self.invariants = invariants
        self.places = Places(pack)
        self.applied = applied
        self._step_contacts: dict[frozenset[str], frozenset[str]] = {}
        self.variable = tuple(s for s in pack.steps.values() if s.variants)
        """The steps whose words (and so length) depend on the facts as the path ends."""
        self.interacting = frozenset(
            ("step", i) for s in pack.steps.values() if s.replaces or s.variants
            for i in (s.id, *s.replaces))
        """Steps whose part in a plan's length depends on more than themselves: they replace
        or are replaced, or their words vary."""
        self._steps_named = {inv.id: _steps_named(inv.require) for inv in invariants}
        """The steps each invariant names, whose replacers planned its summary keeps."""
        self.replacers: dict[str, frozenset[str]] = {}
        """For each step, the steps that leave it out of a plan that has them (`replaces`)."""
        for step in pack.steps.values():
            for gone in step.replaces:
                if gone != step.id:
                    self.replacers[gone] = self.replacers.get(gone, frozenset()) | {step.id}
        self.replacing = frozenset(r for found in self.replacers.values() for r in found)
        """The steps that leave some other step out (`replaces`)."""
        self.variant_facts = tuple(
            (s, tuple(sorted({f for v in s.variants for f in conditions.facts_read(v.when)})))
            for s in self.variable)
        self.wording = tuple(sorted({f for _, facts in self.variant_facts for f in facts}))
        """Every fact that decides some step's words (its `variants`)."""
        self._words: dict[tuple[object, ...], int] = {}
        self.lenses = tuple(_Lens.of(i, inv, self.replacers, pack)
                            for i, inv in enumerate(invariants))
        self.budget_facts = tuple(sorted({f for inv in invariants if inv.require.budgets()
                                          and inv.when is not None
                                          for f in conditions.facts_read(inv.when)}))
        """The facts budgets' `when` read: part of every state, for each end to judge them."""
        self.tracked = frozenset({f for lens in self.lenses for f in (*lens.facts, *lens.seen)}
                                 | set(self.wording))
        """The facts some invariant or some step's words read."""
        self.implying = tuple(sorted({f for rule in pack.policy.implies
                                      if len(conditions.facts_read(rule.when)) > 1
                                      for f in conditions.facts_read(rule.when)}))
        """The facts read by a policy `implies` that reads more than one: whether it makes a
        fact known with a later answer depends on the earlier ones, which the state keeps."""
        self._summaries: dict[tuple[object, ...], tuple[object, ...] | None] = {}
        self._first_walk: tuple[engine.Walk, _Delta] | None = None
        self._met: dict[tuple[int, int, int], tuple[_Part, Ahead, tuple[object, ...] | None]] = {}
        """`summary` by the identity of its part and look-ahead, with both (so that neither
        id can be taken by another object while the entry lives), for the start searched."""
        self._ends: dict[tuple[object, ...], tuple[bool, bool]] = {}
        self._aheads: dict[tuple[int, int], tuple[Ahead, tuple[object, ...]]] = {}
        """What each invariant's lens reads of each look-ahead, by the look-ahead's identity
        (hashing one is slow); the look-ahead is kept with it, so that its id cannot be taken
        by another object while the entry lives."""

    def worded(self, seen: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
        """Return, for each step with `variants`, the words it shows on these facts."""
        return tuple((step.id, self.words_of(step, facts, seen))
                     for step, facts in self.variant_facts)

    def words_of(self, step: model.StepDef, facts: tuple[str, ...],
                 seen: Mapping[str, str]) -> int:
        """Return the words a step with `variants` shows on these facts, worked out once for
        the values of `facts`, the facts its variants read."""
        key = (step.id, tuple(map(seen.get, facts)))
        if key not in self._words:
            self._words[key] = step_words(engine.worded(step, seen))
        return self._words[key]

    def _order(self, step: model.StepDef) -> tuple[bool, int]:
        return engine.step_order(step, self.pack.policy.first_step)

    def state(self, walk: engine.Walk) -> tuple[State, Ahead]:
        """Return the state a paused walk is in (what decides how it can go on, whatever the
        invariants), and what may happen ahead of it."""
        future, ahead = self.places.future(walk)
        facts = walk.facts
        # a budget's `when` is judged at each end, on the facts the state holds
        budget = tuple(map(facts.get, self.budget_facts))
        # which of the facts the invariants read are known, and what steps assume of them:
        # what an answer adds to them then depends on the state alone (`_Delta`)
        known = frozenset(f for f in self.tracked if f in facts)
        assumed = frozenset((f, v) for f, v, _ in walk.assumed if f in self.tracked)
        implying = tuple(map(facts.get, self.implying)) if self.implying else ()
        return (*future, budget, known, assumed, implying), ahead

    def part(self, index: int, walk: engine.Walk) -> _Part:
        """Return what of a walk so far the invariant at `index` reads (every invariant asks
        of the same first walk in turn: what it added is worked out once)."""
        if self._first_walk is None or self._first_walk[0] is not walk:
            self._first_walk = (walk, _Delta.of(None, walk))
        return _EMPTY_PART.then(self.lenses[index], self._first_walk[1])

    def summary(self, index: int, part: _Part, ahead: Ahead) -> tuple[object, ...] | None:
        """Return the invariant's summary of a path so far (None: nothing ahead can break it),
        worked out once for what of the path it reads.

        The same part and look-ahead objects meet again and again within one start (a part
        is passed on unchanged by every answer its lens does not read): half the calls are
        answered by their identity, with no key built."""
        met = (index, id(part), id(ahead))
        found = self._met.get(met)
        if found is None:
            found = self._met[met] = (part, ahead, self._summary_key(index, part, ahead))
        return found[2]

    def new_start(self) -> None:
        """Forget the summaries by identity (`summary`): the objects of one start are not
        met from the next, and keeping them all would hold every part of every path."""
        self._met.clear()

    def _summary_key(self, index: int, part: _Part, ahead: Ahead) -> tuple[object, ...] | None:
        inv, lens = self.invariants[index], self.lenses[index]
        planned = part.planned
        if self.replacing.isdisjoint(planned):  # most plans: every step planned stays
            steps = planned
        else:
            dropped = engine.replaced_ids(planned.values())
            steps = {k: v for k, v in planned.items() if k not in dropped}  # as the plan has them
        # A contact is sure once a step that lists it whatever the reader (no `variants`) is
        # planned and nothing ahead can leave that step out; the others may still come.
        contacts: AbstractSet[str] = frozenset()
        coming: AbstractSet[str] = frozenset()
        if lens.contacts:
            contacts = {c for k, step in steps.items()
                        if not step.variants and not self.replacers.get(k, frozenset()) & ahead.steps
                        for c in step.contacts}
            coming = self._contacts(frozenset(steps) | ahead.steps)
        seen_ahead = self._aheads.get((index, id(ahead)))
        if seen_ahead is None:
            seen_ahead = self._aheads[index, id(ahead)] = (ahead, lens.ahead(ahead))
        key = (seen_ahead[1], lens.key(part.facts, steps, part.services, contacts),
               lens.planned(planned, coming))
        if key not in self._summaries:
            self._summaries[key] = self._summary(inv, part.facts, steps, set(part.services),
                                                 set(contacts), ahead, planned,
                                                 frozenset(coming))
        return self._summaries[key]

    def forget(self, aheads: AbstractSet[int]) -> None:
        """Drop what was worked out of the look-aheads with these ids (see `_Graph.forget`)."""
        self._aheads = {k: v for k, v in self._aheads.items() if k[1] not in aheads}

    def breaks_at_end(self, index: int, part: _Part) -> bool:
        """Return whether a finished path breaks the invariant at `index` (its `when` holds
        and its requirement does not), given what of the path it reads."""
        inv, lens = self.invariants[index], self.lenses[index]
        planned = tuple(part.planned.values())
        if lens.steps is None:  # it reads which step comes first: the plan's own order
            planned = engine.ordered(planned, self.pack.policy.first_step)
        dropped = engine.replaced_ids(planned)
        final = [s for s in planned if s.id not in dropped]
        steps = {s.id: s for s in final}
        seen = part.seen(lens) if lens.contacts else {}
        contacts = ({c for s in final for c in engine.worded(s, seen).contacts
                     if c in lens.contacts} if lens.contacts else set())
        key = lens.key(part.facts, steps, part.services, contacts)
        if key not in self._ends:
            self._ends[key] = (when_holds(inv.when, part.facts), self._parts(
                inv.require, part.facts, steps, set(part.services), contacts, Ahead(),
                final[0] if final else None, frozenset()) is not None)
        applies, breaks = self._ends[key]
        if applies:
            self.applied.add(inv.id)
        return applies and breaks

    def _summary(self, inv: model.Invariant, facts: dict[str, str],
                 steps: dict[str, model.StepDef], services: set[str], contacts: set[str],
                 ahead: Ahead, planned: dict[str, model.StepDef],
                 coming: frozenset[str]) -> tuple[object, ...] | None:
        when = True if inv.when is None else conditions.evaluate(inv.when, facts, ahead.asks)
        if when is False:
            return None
        if when:
            self.applied.add(inv.id)  # true now, so true however the path finishes
        need = inv.require
        first = self._first(steps) if need.first_step else None
        parts = self._parts(need, facts, steps, services, contacts, ahead, first, coming)
        if when and parts is None:  # holds however the path finishes; a budget is still to count
            return (True,) if need.budgets() else None
        if when and parts is _BROKEN:  # broken however the path finishes
            return (_BROKEN,)
        assert inv.when is not None or when
        # a step planned that leaves out one the invariant names, now or if it comes
        replacing = frozenset(r for s in self._steps_named[inv.id]
                              for r in self.replacers.get(s, ()) if r in planned)
        return (True if when else _known(inv.when, facts),  # type: ignore[arg-type]
                parts, replacing)

    def _contacts(self, steps: frozenset[str]) -> frozenset[str]:
        """Return every contact some of these steps list, in any of their words (what the
        plan may still hold)."""
        if steps not in self._step_contacts:
            self._step_contacts[steps] = frozenset(
                c for s in steps for c in (*self.pack.steps[s].contacts,
                                           *(c for v in self.pack.steps[s].variants
                                             for c in v.contacts or ())))
        return self._step_contacts[steps]

    def _parts(self, need: model.Require, facts: dict[str, str],
               steps: dict[str, model.StepDef], services: set[str], contacts: set[str],
               ahead: Ahead, first: model.StepDef | None,
               coming_contacts: frozenset[str]) -> tuple[object, ...] | str | None:
        """Return what a requirement's verdict can still depend on: None if it holds now and
        nothing ahead can break it, `_BROKEN` if it is broken whatever comes, else, for each
        of its parts not settled, what of the plan and the facts it reads (with nothing
        ahead, a finished path: None if it holds)."""

        def fragile(kind: str, ident: str) -> bool:  # in the plan, but a step ahead may drop it
            return kind == "step" and bool(self.replacers.get(ident, frozenset()) & ahead.steps)

        if any(s in steps and not fragile("step", s) for s in need.no_steps) or any(
                s in services for s in need.no_services) or any(f in facts for f in need.not_asked):
            return _BROKEN
        parts: list[object] = []
        if not self._settled(need, facts, steps, services, ahead, first):
            parts.append((frozenset(s for s in (*need.steps, *need.no_steps) if s in steps),
                          frozenset(s for s in (*need.services, *need.no_services) if s in services),
                          self._first_group(steps, first)))
        if not (need.never_together or need.only_when or need.mentions):
            return tuple(parts) if parts else None
        held: Held = {"step": steps, "service": services, "contact": contacts}
        coming: Held = {"step": ahead.steps, "service": ahead.services,
                        "contact": coming_contacts}

        def has(kind: str, ident: str) -> bool:
            return _in(kind, ident, held)

        def may(kind: str, ident: str) -> bool:
            return has(kind, ident) or _in(kind, ident, coming)

        for group in need.never_together:
            there = frozenset(i for i in group.ids() if has(*i))
            if sum(not fragile(*i) for i in there) > 1:
                return _BROKEN
            if sum(may(*i) for i in group.ids()) > 1:
                parts.append(there)
        for rule in need.only_when:
            allowed = conditions.evaluate(rule.when, facts, ahead.asks)
            if allowed is True or not any(may(*i) for i in rule.ids()):
                continue
            there = frozenset(i for i in rule.ids() if has(*i))
            if allowed is False and any(not fragile(*i) for i in there):
                return _BROKEN
            parts.append((False if allowed is False else _known(rule.when, facts), there))
        for mention in need.mentions:
            missing = [i for i in mention.ids() if not has(*i) or fragile(*i)]
            if not missing or not may("step", mention.by_step):
                continue
            if has("step", mention.by_step) and not fragile("step", mention.by_step) \
                    and not all(may(*i) for i in missing):
                return _BROKEN
            parts.append((has("step", mention.by_step), frozenset(missing)))
        return tuple(parts) if parts else None

    def _first(self, steps: dict[str, model.StepDef]) -> model.StepDef | None:
        """Return the step that comes first in the plan so far, in the engine's own order."""
        return next(iter(engine.ordered(tuple(steps.values()), self.pack.policy.first_step)), None)

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
        """Return True if the requirement's first kinds (steps and services required or
        forbidden, facts not asked, the first step) hold now and nothing ahead can break them."""
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


@dataclass(frozen=True)
class _Lens:
    """What of a path an invariant's verdict can depend on: the facts its conditions read
    (and `not_asked`), the steps it names, the steps that may list the contacts it names, and
    the steps that replace any of these, the services and contacts it names, and the facts
    that decide those steps' words (`variants`, which may change their contacts). Two paths
    that agree on these (and on what may still come of them) get the same verdict and
    summary: each invariant follows only this part of a path, and works each verdict out
    once for it. An invariant with a `first_step` depends on every step (which one sorts
    first), so it sees them all."""

    index: int
    facts: tuple[str, ...]
    steps: frozenset[str] | None
    """None: every step (a `first_step` requirement)."""
    services: frozenset[str]
    contacts: frozenset[str]
    seen: tuple[str, ...]
    """The facts (as the path reads them, with what steps assume) that word its steps."""

    @cached_property
    def reads(self) -> frozenset[str]:
        """Return every id it reads (facts, steps, services), for a quick look at a change."""
        return frozenset({*self.facts, *self.seen, *(self.steps or ()), *self.services})

    @classmethod
    def of(cls, index: int, inv: model.Invariant, replacers: Mapping[str, frozenset[str]],
           pack: model.Pack) -> _Lens:
        """Return the lens of the invariant at `index` of a search's list; `replacers`: the
        steps that leave each step out."""
        need = inv.require
        conds = [c for c in (inv.when, *(r.when for r in need.only_when)) if c is not None]
        facts = sorted({*need.not_asked, *(f for c in conds for f in conditions.facts_read(c))})
        groups: list[model.Items] = [*need.never_together, *need.only_when, *need.mentions]
        contacts = frozenset(c for g in groups for c in g.contacts)
        listing = {s.id for s in pack.steps.values()
                   if contacts & {*s.contacts, *(c for v in s.variants for c in v.contacts or ())}}
        named = _steps_named(need) | listing
        seen = sorted({f for s in listing for v in pack.steps[s].variants
                       for f in conditions.facts_read(v.when)})
        return cls(index, tuple(facts),
                   None if need.first_step is not None
                   else named | {r for s in named for r in replacers.get(s, ())},
                   frozenset({*need.services, *need.no_services,
                              *(s for g in groups for s in g.services)}),
                   contacts, tuple(seen))

    def key(self, facts: Mapping[str, str], steps: Mapping[str, object],
            services: AbstractSet[str], contacts: AbstractSet[str]) -> tuple[object, ...]:
        """Return what of a plan so far (or finished) the invariant's verdict reads."""
        return (self.index, tuple(map(facts.get, self.facts)),
                tuple(steps) if self.steps is None else self.steps.intersection(steps),
                self.services & services, self.contacts & contacts)

    def planned(self, planned: Mapping[str, object], coming: AbstractSet[str]) -> tuple[object, ...]:
        """Return what else a summary reads: the steps planned (a replaced one included),
        and the contacts that may still come."""
        return (tuple(planned) if self.steps is None else self.steps.intersection(planned),
                self.contacts & coming)

    def ahead(self, ahead: Ahead) -> tuple[object, ...]:
        """Return what of everything that may still happen the invariant's verdict reads."""
        return (ahead.steps if self.steps is None else ahead.steps & self.steps,
                ahead.services & self.services, ahead.asks & set(self.facts))


def _steps_named(need: model.Require) -> frozenset[str]:
    """Return every step a requirement names (a step that replaces one can change its verdict)."""
    groups: list[model.Items] = [*need.never_together, *need.only_when, *need.mentions]
    return frozenset({*need.steps, *need.no_steps, *(m.by_step for m in need.mentions),
                      *(s for g in groups for s in g.steps)})


_BROKEN = "broken"
"""A part of a requirement that no answer ahead can mend (a summary of it stands for all)."""


def _known(cond: model.Condition, facts: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """Return the known facts a condition reads: what its value, not yet known, depends on."""
    return frozenset((f, facts[f]) for f in conditions.facts_read(cond) if f in facts)


@dataclass(frozen=True)
class _Delta:
    """What one answer adds to a path, as the walk that explored it shows: every path through
    the same state goes on the same way (`ahead.Places.future`), and agrees on which of the
    facts the invariants read are known and what the steps planned assume of them
    (`_Watch.state`), so what the answer adds to those is the same for every such path."""

    facts: tuple[tuple[str, str], ...]
    """The facts it makes known: the answer, and what follows from it (policy `implies`, a
    pathway's `reader`)."""
    assumed: tuple[tuple[str, str], ...]
    """What the steps it plans newly assume (their `effects`), which the path then reads in
    place of the answers."""
    steps: tuple[model.StepDef, ...]
    services: tuple[str, ...]

    @cached_property
    def touched(self) -> frozenset[str]:
        """Return every id it names (facts, steps, services): a lens that reads none of them
        is left as it was."""
        return frozenset({*(f for f, _ in self.facts), *(f for f, _ in self.assumed),
                          *(s.id for s in self.steps), *self.services})

    @classmethod
    def of(cls, before: engine.Walk | None, after: engine.Walk) -> _Delta:
        """Return what a walk added since an earlier point of it (None: its start).

        A walk only adds to its answers and to what it knows without asking (`derived`), and
        never asks a fact it knows so: the facts added are the ends of both, in the order
        `Walk.facts` has them."""
        if before is None:
            added = tuple(after.facts.items())
        else:
            added = (*((a.fact, a.value) for a in after.transcript[len(before.transcript):]),
                     *after.derived[len(before.derived):])
        assumed = {f: v for f, v, _ in before.assumed} if before is not None else {}
        return cls(added,
                   tuple((f, v) for f, v, _ in after.assumed if assumed.get(f) != v),
                   tuple(s.step for s in after.steps[len(before.steps) if before else 0:]),
                   tuple(o.service.id for o in after.offers[len(before.offers) if before else 0:]))


@dataclass(frozen=True)
class _Part:
    """What of a path so far one invariant reads (its `_Lens`): the facts known, what the
    steps planned assume (for its steps' words), the steps planned (in the order added) and
    the services."""

    facts: dict[str, str]
    assumed: dict[str, str]
    planned: dict[str, model.StepDef]
    services: frozenset[str]

    def seen(self, lens: _Lens) -> dict[str, str]:
        """Return the facts that word the lens's steps as the path reads them: what a step
        assumes in place of the answer."""
        return {**{f: v for f, v in self.facts.items() if f in lens.seen}, **self.assumed}

    def then(self, lens: _Lens, delta: _Delta) -> _Part:
        """Return the part after an answer that adds `delta`."""
        if lens.steps is not None and lens.reads.isdisjoint(delta.touched):
            return self
        facts, assumed, planned, services = self.facts, self.assumed, self.planned, self.services
        new_facts = [(f, v) for f, v in delta.facts
                     if (f in lens.facts or f in lens.seen) and f not in facts]
        if new_facts:
            facts = {**facts, **dict(new_facts)}
        new_assumed = [(f, v) for f, v in delta.assumed if f in lens.seen]
        if new_assumed:
            assumed = {**assumed, **dict(new_assumed)}
        new_steps = [s for s in delta.steps if s.id not in planned
                     and (lens.steps is None or s.id in lens.steps)]
        if new_steps:
            planned = dict(planned)
            for step in new_steps:
                planned.setdefault(step.id, step)
        more = lens.services.intersection(delta.services)
        if more - services:
            services = services | more
        if (facts is self.facts and assumed is self.assumed and planned is self.planned
                and services is self.services):
            return self
        return _Part(facts, assumed, planned, services)


_EMPTY_PART = _Part({}, {}, {}, frozenset())
"""What of a path an invariant reads before anything happens (`_Part.then` never changes it)."""

State = explore.State
Item = tuple[str, str]
"""A step ("step", id) or a piece of guidance ("guidance", "pathway/node") a plan shows."""
class Label(NamedTuple):
    """An answer out of a state: what happens if the walk ends there, what it adds to the
    plan (for its length) and to the path (for the invariants)."""

    answer: tuple[str, str]
    end: _End | None
    added: frozenset[Item]
    delta: _Delta


Edge = tuple[Label, "State | None"]
"""An answer out of a state, and the state it leads to."""


@dataclass(frozen=True)
class _End:
    """Where an answer finishes the walk: why it is stuck, if it is, and the invariants with
    a budget whose `when` holds there."""

    stuck: str | None = None
    budgets: frozenset[str] = frozenset()


def _shown(walk: engine.Walk, since: engine.Walk | None = None) -> frozenset[Item]:
    """Return what a walk added to its plan (since an earlier point of it): steps and guidance."""
    steps = walk.steps[len(since.steps):] if since is not None else walk.steps
    notes = walk.guidance[len(since.guidance):] if since is not None else walk.guidance
    return frozenset([*(("step", s.step.id) for s in steps),
                      *(("guidance", f"{g.pathway}/{g.node}") for g in notes)])


_NOTHING = _Delta((), (), (), ())
"""What an answer that stops the walk (stuck) adds."""


class _Graph:
    """Every state reachable from any pathway's start, each explored once whatever the start,
    with the answers that lead out of it; then counted and searched backwards.

    A state here is only what decides how a path can go on (`_Watch.state`): the engine runs
    once per state and answer. Each invariant is then followed over these states on its own
    (`_Proof`), with just what of the path it reads, so that invariants never multiply each
    other's states."""

    def __init__(self, pack: model.Pack, watch: _Watch, limit: int) -> None:
        self.pack = pack
        self.watch = watch
        self.limit = limit
        self.edges: dict[State, list[Edge]] = {}
        self.count = 0
        """How many states have been explored, those forgotten (`forget`) included."""
        self.held: dict[object, int] = {}
        """How many states each pathway has in `edges`."""
        self._at: dict[State, int] = {}
        """How many states each question has in `edges` (see `explore.explore_states`)."""
        self.aheads: dict[State, Ahead] = {}
        """What may happen ahead of each state."""
        self._paths: dict[State, int] = {}
        self._nearest: dict[tuple[State, bool], tuple[int, int] | None] = {}
        self.words: dict[Item, int] = {}
        """The words each step and piece of guidance met shows."""

    def state(self, walk: engine.Walk) -> State:
        """Return a paused walk's state, remembering what may happen ahead of it."""
        state, ahead = self.watch.state(walk)
        self.aheads[state] = ahead
        return state

    def explore(self, first: engine.Walk) -> State:
        """Explore every state reachable from a walk paused at its first question."""
        before = len(self.edges)
        try:
            return explore.explore_states(first, self.state, self._answer, self.edges,
                                          self.limit, self._at)
        finally:
            added = len(self.edges) - before
            self.count += added
            for state in itertools.islice(reversed(self.edges), added):  # the newest come last
                self.held[state[0]] = self.held.get(state[0], 0) + 1

    def forget(self, pathways: AbstractSet[object]) -> None:
        """Drop the states waiting in these pathways, which no start still to be searched can
        reach (`_needed_until`): a pack of many separate pathways is then held one start at a
        time, not whole (the 100,000-node synthetic pack's search took 850 MB before)."""
        gone = {id(ahead) for state, ahead in self.aheads.items() if state[0] in pathways}
        self.edges = {k: v for k, v in self.edges.items() if k[0] not in pathways}
        self.aheads = {k: v for k, v in self.aheads.items() if k[0] not in pathways}
        self._paths = {k: v for k, v in self._paths.items() if k[0] not in pathways}
        self._nearest = {k: v for k, v in self._nearest.items() if k[0][0] not in pathways}
        self._at = {k: v for k, v in self._at.items() if k[0] not in pathways}
        self.held = {k: v for k, v in self.held.items() if k not in pathways}
        self.watch.forget(gone)

    def count_words(self, walk: engine.Walk, since: engine.Walk | None = None) -> None:
        """Record the words of every step and piece of guidance a walk added (since an
        earlier point of it)."""
        for planned in walk.steps[len(since.steps) if since is not None else 0:]:
            if ("step", planned.step.id) not in self.words:
                self.words["step", planned.step.id] = step_words(planned.step)
        for note in walk.guidance[len(since.guidance) if since is not None else 0:]:
            key = ("guidance", f"{note.pathway}/{note.node}")
            if key not in self.words:
                self.words[key] = guidance_words(note)

    def _answer(self, walk: engine.Walk, value: str) -> tuple[Label, engine.Walk | None]:
        """Return an answer with how the walk ends there (if it does) and what it adds to the
        plan and the path, and the walk going on."""
        assert walk.pending is not None
        answer = (walk.pending.fact, value)
        try:
            after = engine.proceed(self.pack, walk, value, plan=False)
        except FlowError as err:
            return Label(answer, _End(stuck=str(err)), frozenset(), _NOTHING), None
        self.count_words(after, walk)
        added = _shown(after, walk)
        delta = _Delta.of(walk, after)
        if after.pending is None:
            facts = after.facts
            budgets = frozenset(inv.id for inv in self.watch.invariants
                                if inv.require.budgets() and when_holds(inv.when, facts))
            return Label(answer, _End(budgets=budgets), added, delta), None
        return Label(answer, None, added, delta), after

    def paths(self, state: State) -> int:
        """Return how many complete paths lead on from a state (states never repeat on a path:
        each answer adds a fact, so they form a DAG and each is counted once)."""
        if state not in self._paths:
            self._paths[state] = sum(1 if to is None else self.paths(to)
                                     for _, to in self.edges[state])
        return self._paths[state]

    def stuck(self, state: State) -> tuple[int, int] | None:
        """Return the fewest answers from a state to one the engine cannot go on from, and
        which of the state's edges starts them (the first such, on a tie); None: none."""
        return self._nearest_end(state, True)

    def to_end(self, state: State) -> tuple[int, int] | None:
        """Return the fewest answers from a state to the end of a path with a plan (not
        stuck), and the edge that starts them; None: every path below is stuck."""
        return self._nearest_end(state, False)

    def _nearest_end(self, state: State, stuck: bool) -> tuple[int, int] | None:
        if (state, stuck) not in self._nearest:
            self._nearest[state, stuck] = _fewest(
                _then(self._nearest_end(to, stuck)) if to is not None
                else 1 if (label.end is not None and label.end.stuck is not None) == stuck
                else None
                for label, to in self.edges[state])
        return self._nearest[state, stuck]

    def way(self, state: State, below: Callable[[State], tuple[int, int] | None]
            ) -> tuple[tuple[tuple[str, str], ...], _End]:
        """Return the answers from a state that `below` says are fewest (edge by edge), and
        the end they reach."""
        answers = []
        while True:
            found = below(state)
            assert found is not None
            label, to = self.edges[state][found[1]]
            answers.append(label.answer)
            if to is None:
                assert label.end is not None
                return tuple(answers), label.end
            state = to


def _then(below: tuple[int, int] | None) -> int | None:
    """Return the fewest answers through an edge to what lies below it (one more)."""
    return None if below is None else below[0] + 1


def _fewest(counts: Iterable[int | None]) -> tuple[int, int] | None:
    """Return the fewest of some counts (None: not reachable) and its position, the first on
    a tie; None if none is reachable."""
    best: tuple[int, int] | None = None
    for i, n in enumerate(counts):
        if n is not None and (best is None or n < best[0]):
            best = (n, i)
    return best


_SETTLED = (None, (True,))
"""Summaries that nothing ahead can break: the invariant holds however the path finishes
(`(True,)`: only a budget is still to count, which `_Lengths` does)."""


class _Proof:
    """One invariant followed over the states of a `_Graph`: a product of each state with the
    invariant's summary of the path so far, explored from each start until the summary says
    nothing ahead can break it. The fewest answers to a break are found as in the states'
    own search; more than `limit` at one question stop it (StateLimit)."""

    def __init__(self, graph_: _Graph, index: int) -> None:
        self.graph = graph_
        self.watch = graph_.watch
        self.index = index
        self.lens = graph_.watch.lenses[index]
        self._below: dict[tuple[State, object, object], tuple[tuple[int, int] | None, _Part]] = {}
        self._at: dict[tuple[object, object], int] = {}

    def broken_from(self, root: State, first: engine.Walk) -> tuple[tuple[str, str], ...] | None:
        """Return the fewest answers from a start's first question (its walk paused there)
        to a plan that breaks the invariant, or None."""
        part = self.watch.part(self.index, first)
        summary = self.watch.summary(self.index, part, self.graph.aheads[root])
        if summary in _SETTLED:
            return None
        if summary == (_BROKEN,):
            if self.graph.to_end(root) is None:
                return None
        elif self.below(root, summary, part) is None:
            return None
        answers: list[tuple[str, str]] = []
        state: State | None = root
        while state is not None:
            if summary == (_BROKEN,):
                return (*answers, *self.graph.way(state, self.graph.to_end)[0])
            found, part = self._below[self._key(state, summary, part)]
            assert found is not None
            label, state = self.graph.edges[state][found[1]]
            answers.append(label.answer)
            part = part.then(self.lens, label.delta)
            if state is not None:
                summary = self.watch.summary(self.index, part, self.graph.aheads[state])
        return tuple(answers)

    def forget(self, pathways: AbstractSet[object]) -> None:
        """Drop what was found at the states waiting in these pathways (`_Graph.forget`)."""
        self._below = {k: v for k, v in self._below.items() if k[0][0] not in pathways}
        self._at = {k: v for k, v in self._at.items() if k[0] not in pathways}

    def _key(self, state: State, summary: object, part: _Part) -> tuple[State, object, object]:
        """Return what decides how a path goes on for the invariant: the state, its summary,
        and, where it names contacts, the facts that word the steps listing them."""
        if not self.lens.seen:
            return state, summary, None
        seen = part.seen(self.lens)
        return state, summary, tuple(seen.get(f) for f in self.lens.seen)

    def _kept_apart(self, where: tuple[object, object]) -> tuple[str, ...]:
        """Return the facts the invariant reads whose answers differ between the paths that
        wait at one question."""
        parts = [part for (state, _, _), (_, part) in self._below.items() if state[:2] == where]
        facts = {f for part in parts for f in part.facts}
        return tuple(sorted(f for f in facts if len({part.facts.get(f) for part in parts}) > 1))

    def below(self, state: State, summary: object, part: _Part) -> tuple[int, int] | None:
        """Return the fewest answers from a state, reached with this summary (and `part`
        standing for every path that reaches it so), to a break, and the edge starting them."""
        key = self._key(state, summary, part)
        if key in self._below:
            return self._below[key][0]
        where = (state[0], state[1])
        self._at[where] = count = self._at.get(where, 0) + 1
        if count > self.graph.limit:
            raise StateLimit(str(state[0]), str(state[1]), self.graph.limit,
                             self._kept_apart(where), self.watch.invariants[self.index].id)
        counts: list[int | None] = []
        for label, to in self.graph.edges[state]:
            after = part.then(self.lens, label.delta)
            if to is None:
                assert label.end is not None
                counts.append(1 if label.end.stuck is None
                              and self.watch.breaks_at_end(self.index, after) else None)
                continue
            summary_to = self.watch.summary(self.index, after, self.graph.aheads[to])
            if summary_to in _SETTLED:
                counts.append(None)
            elif summary_to == (_BROKEN,):
                counts.append(_then(self.graph.to_end(to)))
            else:
                counts.append(_then(self.below(to, summary_to, after)))
        found = _fewest(counts)
        self._below[key] = (found, part)
        return found


def search(pack: model.Pack, limit: int = explore.MAX_STATES,
           built_in: bool = True) -> SearchResult:
    """Return the shortest counterexample of each broken invariant over every pathway, and
    for each pathway the shortest answers from its start that the engine cannot finish.

    The contract's safety rules (`safety.rules()`) are checked with the pack's own invariants,
    whatever the pack says: its invariants file can add rules, never remove these. More than
    `limit` states at one question (or, for one invariant, more than `limit` of its summaries
    there) stop the search: the result then says where.
    """
    from ms_navigator import safety

    invariants = [*(safety.rules() + safety.of_pack(pack) if built_in else ()),
                  *pack.invariants.values()]
    applied: set[str] = set()
    watch = _Watch(pack, invariants, applied)
    graph_ = _Graph(pack, watch, limit)
    try:
        with collector.paused():  # many small objects and no cycles
            return _search(pack, invariants, applied, graph_)
    except StateLimit as err:
        return SearchResult({}, {}, graph_.count, limit=err)


def _needed_until(pack: model.Pack) -> dict[str, int]:
    """Return, for each pathway, the index in `pack.starts` of the last start whose walks can
    wait in it: the start itself, the preamble every start runs first, and every pathway
    these hand over to (`nodes.calls`), and so on. Past it, no state in that pathway can be
    met again, and the search can forget them (`_Graph.forget`)."""
    from ms_navigator import nodes

    calls = {pid: {c for node in pathway.nodes if (c := nodes.calls(node)) is not None}
             for pid, pathway in pack.pathways.items()}
    last: dict[str, int] = {}
    preamble = pack.policy.preamble
    for index, start in enumerate(pack.starts):
        todo = [start, *([preamble] if preamble is not None else [])]
        seen: set[str] = set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            last[pid] = index
            todo.extend(calls.get(pid, ()))
    return last


class _Forgetting:
    """Which pathways the search may forget after each start, forgotten in batches: a sweep
    costs a pass over what is held, so it waits until what may go is at least as many
    states as what stays (each state is then swept over a bounded number of times)."""

    def __init__(self, pack: model.Pack, graph_: _Graph) -> None:
        self.graph = graph_
        self.after: dict[int, set[str]] = {}
        for pid, index in _needed_until(pack).items():
            self.after.setdefault(index, set()).add(pid)
        self.pending: set[str] = set()

    def done(self, index: int) -> set[str]:
        """Return the pathways to forget now that the start at `index` is searched (an empty
        set while the sweep waits)."""
        self.pending |= self.after.get(index, set())
        if not self.pending:
            return set()
        going = sum(self.graph.held.get(pid, 0) for pid in self.pending)
        if 2 * going < len(self.graph.edges):
            return set()
        found, self.pending = self.pending, set()
        return found


def _search(pack: model.Pack, invariants: list[model.Invariant], applied: set[str],
            graph_: _Graph) -> SearchResult:
    """Explore from every pathway's start into one graph of states; follow each invariant
    over it; read the results off it."""
    by_id = {i.id: i for i in invariants}
    budgets = [i for i in invariants if i.require.budgets()]
    proofs = [_Proof(graph_, i) for i in range(len(invariants))]
    best: dict[str, Counterexample] = {}
    stuck: dict[str, Counterexample] = {}
    paths = 0
    steps: dict[int, int] = {}
    words_: dict[int, int] = {}
    lengths = _Lengths(graph_, graph_.limit * PLANS_PER_STATE)
    skipped: str | None = None

    def keep(inv_id: str, start: str, answers: tuple[tuple[str, str], ...]) -> None:
        if inv_id not in best or len(answers) < len(best[inv_id].answers):
            best[inv_id] = _example(pack, by_id[inv_id], start, answers)

    def search_from(start: str) -> None:
        """Search the paths from one start, adding to what the search found."""
        nonlocal paths, skipped
        try:
            first = engine.walk(pack, engine.start(pack, start))
        except FlowError as err:  # the walk cannot even reach the first question
            stuck[start] = Counterexample(STUCK, start, (), (str(err),))
            return
        if first.pending is None:
            paths += 1
            plan = first.plan()
            size = plan_size(plan)
            steps[size[0]] = steps.get(size[0], 0) + 1
            words_[size[1]] = words_.get(size[1], 0) + 1
            for inv in invariants:
                if when_holds(inv.when, plan.facts):
                    applied.add(inv.id)
                if broken(inv, plan):
                    keep(inv.id, start, ())
            return
        graph_.count_words(first)
        graph_.watch.new_start()
        root = graph_.explore(first)
        paths += graph_.paths(root)
        if graph_.stuck(root) is not None:
            answers, end = graph_.way(root, graph_.stuck)
            stuck[start] = Counterexample(STUCK, start, answers, (str(end.stuck),))
        for inv, proof in zip(invariants, proofs, strict=True):
            answers_ = proof.broken_from(root, first)
            if answers_ is not None:
                keep(inv.id, start, answers_)
        if skipped is not None:
            return
        shown = _shown(first)
        base = lengths.size(shown)
        wording = lengths.wording(first)
        try:
            grown = lengths.sizes(root, shown, wording, None)
            for more, count in grown.steps.items():
                steps[base[0] + more] = steps.get(base[0] + more, 0) + count
            for more, count in grown.words.items():
                words_[base[1] + more] = words_.get(base[1] + more, 0) + count
            for inv in budgets:
                over = lengths.over_budget(root, shown, wording, inv)
                if over is not None:
                    keep(inv.id, start, over)
        except _TooManyPlans as err:
            if budgets:
                raise PlanLimit(str(err.state[0]), str(err.state[1]), lengths.cap,
                                PLANS_PER_STATE) from None
            skipped = plan_limit_message(lengths.cap)

    forgetting = _Forgetting(pack, graph_)
    for index, start in enumerate(pack.starts):
        search_from(start)
        gone = forgetting.done(index)
        if gone:
            graph_.forget(gone)
            lengths.forget(gone)
            for proof in proofs:
                proof.forget(gone)
    vacuous = tuple(i.id for i in invariants if i.id in pack.invariants and i.id not in applied)
    return SearchResult(best, stuck, graph_.count, paths, vacuous,
                        lengths=None if skipped else Lengths.of(steps, words_),
                        lengths_skipped=skipped)


Counts = dict[int, int]
"""How much a plan grows, in steps or in words -> how many paths end so (for the lengths of
all plans) or the fewest answers to one of them (for a budget): each is all that its reader
needs, and merging plain numbers is what most of the counting's time goes to."""


class Sizes(NamedTuple):
    """How much the plans grow below a state, in steps and in words, each counted on its own:
    the lengths read each apart (a median and a largest of each), and a budget is broken where
    either is over (the fewest answers to that are the fewer of the two). Counting the pairs
    together kept far more apart (up to about 200 pairs where each count had some 20 values),
    which was most of the time lint spent on large packs."""

    steps: Counts
    words: Counts


def _add_paths(found: Counts, reached: Counts, more: int) -> None:
    """Add to `found` (paths by growth) the ends `reached` one answer further on, each grown
    by `more`."""
    if not found:
        found.update({grown + more: n for grown, n in reached.items()} if more else reached)
        return
    get = found.get
    for grown, n in reached.items():
        grown += more
        found[grown] = get(grown, 0) + n


def _add_fewest(found: Counts, reached: Counts, more: int) -> None:
    """Add to `found` (fewest answers by growth) the ends `reached` one answer further on,
    each grown by `more`."""
    get = found.get
    for grown, fewest in reached.items():
        grown += more
        fewest += 1
        had = get(grown)
        if had is None or fewest < had:
            found[grown] = fewest


Wording = tuple[tuple[str | None, str | None], ...]
"""For each fact that words steps (`_Watch.wording`), in that order: its value as answered
(or derived) and as a planned step assumes it, each None where not so (both None too where it
can no longer change a word of the plan). The path reads the assumed value first."""


class _Lengths:
    """How long the plan is at the end of every path through the states, without walking
    the paths one by one.

    A plan's length is that of its distinct steps and guidance, so what a path adds below a
    state depends on what its plan already holds, but only on the part of that which can
    still be added below (`below`), and, for the steps whose words vary (`variants`), on the
    facts that word them: the sizes are worked out once for each state and those parts, and
    shared by every path that reaches the state with them. This is what keeps lengths and
    wording out of the states themselves (where every count would keep paths apart).
    """

    def __init__(self, graph_: _Graph, cap: int) -> None:
        self.graph = graph_
        self.watch = graph_.watch
        self.cap = cap
        """The most partial plans counted apart, for all plans or for one budget's
        (`PLANS_PER_STATE`)."""
        self._counted: dict[tuple[str | None, object, object], int] = {}
        """How many partial plans have been counted apart at each question, for all plans
        (None) or for one budget's invariant."""
        self._below: dict[State, frozenset[Item]] = {}
        self._must: dict[State, frozenset[Item]] = {}
        self._sizes: dict[tuple[State, frozenset[Item], tuple[object, ...], str | None], Sizes] = {}
        self._wording_of = {step.id: facts for step, facts in self.watch.variant_facts}
        self._assumable = frozenset(f for s in graph_.pack.steps.values() for e in s.effects
                                    for f in e.assume)
        """The facts a step may assume (`effects`): known, they may still be read otherwise."""
        self._words_keys: dict[tuple[State, frozenset[Item], Wording], tuple[object, ...]] = {}
        self._wording_facts = frozenset(self.watch.wording)
        self._variants = frozenset(("step", i) for i in self._wording_of)
        """The steps whose words vary (`variants`), as plan items."""
        self._variable_below: dict[State, frozenset[Item]] = {}
        """The steps whose words vary that some answer below a state adds."""
        self._keep: dict[State, frozenset[Item]] = {}
        """What of a plan's items `_key` keeps at each state."""
        self._corrections: dict[tuple[frozenset[Item], Wording], tuple[int, int]] = {}
        """`correction` by what it reads: the items that interact, and the wording (neither
        names a state, so nothing here is forgotten; both are bounded by the pack's steps)."""

    def forget(self, pathways: AbstractSet[object]) -> None:
        """Drop what was counted at the states waiting in these pathways (`_Graph.forget`)."""
        self._below = {k: v for k, v in self._below.items() if k[0] not in pathways}
        self._must = {k: v for k, v in self._must.items() if k[0] not in pathways}
        self._sizes = {k: v for k, v in self._sizes.items() if k[0][0] not in pathways}
        self._words_keys = {k: v for k, v in self._words_keys.items() if k[0][0] not in pathways}
        self._variable_below = {k: v for k, v in self._variable_below.items() if k[0] not in pathways}
        self._keep = {k: v for k, v in self._keep.items() if k[0] not in pathways}
        self._counted = {k: v for k, v in self._counted.items() if k[1] not in pathways}

    def wording(self, walk: engine.Walk) -> Wording:
        """Return the wording facts of a walk so far."""
        facts, assumed = walk.facts, {f: v for f, v, _ in walk.assumed}
        return tuple((facts.get(f), assumed.get(f)) for f in self.watch.wording)

    def _then(self, wording: Wording, delta: _Delta) -> Wording:
        """Return the wording facts after an answer that adds `delta`."""
        if self._wording_facts.isdisjoint(delta.touched):  # most answers word nothing
            return wording
        known, assumed = dict(delta.facts), dict(delta.assumed)
        return tuple((k if k is not None else known.get(f), assumed.get(f, a))
                     for f, (k, a) in zip(self.watch.wording, wording, strict=True))

    def _words_key(self, state: State, held: frozenset[Item], wording: Wording) -> tuple[object, ...]:
        """Return what of the wording facts can still change the words of the plan: for each
        step with variants that it holds or that may come below, the words it shows where
        the facts its variants read are known for good (answered, and no step assumes
        them), else those facts. Paths that agree on this end with the same words."""
        if not wording:
            return ()
        variable = self._variable_below.get(state)
        if variable is None:
            variable = self._variable_below[state] = self.below(state) & self._variants
        if not variable and held.isdisjoint(self._variants):  # no words can change
            return ()
        where = (state, held, wording)
        if where not in self._words_keys:  # many paths meet here with the same facts
            self._words_keys[where] = self._worked_out_words_key(state, held, wording)
        return self._words_keys[where]

    def _worked_out_words_key(self, state: State, held: frozenset[Item],
                              wording: Wording) -> tuple[object, ...]:
        variable = sorted(i for _, i in (held & self._variants) | self._variable_below[state])
        values = dict(zip(self.watch.wording, wording, strict=True))
        found: list[object] = []
        for step_id in variable:
            facts = self._wording_of[step_id]
            if all(values[f][0] is not None and f not in self._assumable for f in facts):
                known = {f: str(values[f][0]) for f in facts}
                found.append(self.watch.words_of(self.graph.pack.steps[step_id], facts, known))
            else:
                found.append(tuple(values[f] for f in facts))
        return tuple(found)

    def below(self, state: State) -> frozenset[Item]:
        """Return every step and piece of guidance some answer below a state adds."""
        if state not in self._below:
            found: set[Item] = set()
            for (_, _, added, _), to in self.graph.edges[state]:
                found |= added
                if to is not None:
                    found |= self.below(to)
            self._below[state] = frozenset(found)
        return self._below[state]

    def must(self, state: State) -> frozenset[Item]:
        """Return the steps and guidance every path below a state adds (stuck paths too, which
        only makes it smaller): whether a plan holds one of them already cannot change how
        long it ends, so the sizes below keep plans apart only by the others."""
        if state not in self._must:
            found: frozenset[Item] | None = None
            for (_, _, added, _), to in self.graph.edges[state]:
                every = added | self.must(to) if to is not None else added
                found = every if found is None else found & every
            self._must[state] = found or frozenset()
        return self._must[state]

    def correction(self, held: frozenset[Item], wording: Wording) -> tuple[int, int]:
        """Return how much smaller a finished plan is than its items counted one by one: the
        steps others replace are left out, and a step with `variants` shows the words of
        the one that holds at the end (every such step is kept in `held`).

        Worked out once for what of `held` interacts and the wording: many ends share them."""
        key = (held & self.watch.interacting, wording)
        if key not in self._corrections:
            self._corrections[key] = self._worked_out_correction(key[0], wording)
        return self._corrections[key]

    def _worked_out_correction(self, interacting: frozenset[Item],
                               wording: Wording) -> tuple[int, int]:
        ids = {i for kind, i in interacting if kind == "step"}
        dropped = engine.replaced_ids(self.graph.pack.steps[i] for i in ids) & ids
        less_steps = len(dropped)
        less_words = sum(self.graph.words[("step", i)] for i in dropped)
        if any(i in self._wording_of and i not in dropped for i in ids):
            seen: dict[str, str] = {}
            for f, (known, assumed) in zip(self.watch.wording, wording, strict=True):
                value = assumed if assumed is not None else known
                if value is not None:
                    seen[f] = value
            for step_id, shown in self.watch.worded(seen):
                if step_id in ids and step_id not in dropped:
                    less_words += self.graph.words[("step", step_id)] - shown
        return less_steps, less_words

    def size(self, items: frozenset[Item]) -> tuple[int, int]:
        """Return the steps among some items, and the words they all show."""
        words = self.graph.words
        steps = shown = 0
        for item in items:
            shown += words[item]
            if item[0] == "step":
                steps += 1
        return steps, shown

    def sizes(self, state: State, held: frozenset[Item], wording: Wording,
              only: str | None) -> Sizes:
        """Return how much the plans grow from a state to each path's end, for a plan that
        holds `held` there, with these wording facts: how many paths end with each growth;
        with `only`, just at the ends where that invariant's `when` holds, and the fewest
        answers to one with each growth. Stuck paths have no plan and are left out."""
        sure = self.size(self.must(state) - held)
        apart = self._sizes_apart(state, self._key(state, held), wording, only)
        return Sizes({a + sure[0]: count for a, count in apart.steps.items()},
                     {b + sure[1]: count for b, count in apart.words.items()})

    def _key(self, state: State, held: frozenset[Item]) -> frozenset[Item]:
        """Return what of a plan's items decides how it grows below a state: those that may
        still be added below, and those that replace or word others, but none that every path
        below adds (it ends in the plan whatever it holds now)."""
        keep = self._keep.get(state)
        if keep is None:
            keep = self._keep[state] = (self.below(state) | self.watch.interacting) - self.must(state)
        return held & keep

    def _sizes_apart(self, state: State, held: frozenset[Item], wording: Wording,
                     only: str | None) -> Sizes:
        """Return `sizes` without the items every path below adds (`must`), for a plan's
        `_key`: counted once per state and key, however many plans share them."""
        key = (state, held, self._words_key(state, held, wording), only)
        if key not in self._sizes:
            where = (only, state[0], state[1])
            counted = self._counted[where] = self._counted.get(where, 0) + 1
            if counted > self.cap:
                raise _TooManyPlans(state)
            sure = self.must(state)
            found = Sizes({}, {})
            add = _add_paths if only is None else _add_fewest
            for (_, end, added, delta), to in self.graph.edges[state]:
                after = self._then(wording, delta)
                if to is None:
                    assert end is not None
                    if end.stuck is not None or (only is not None and only not in end.budgets):
                        continue
                    more_steps, more_words = self.size(added - sure - held)
                    less_steps, less_words = self.correction(held | added, after)
                    # one path ends here, one answer on (`add` counts the answer)
                    add(found.steps, {more_steps - less_steps: 1 if only is None else 0}, 0)
                    add(found.words, {more_words - less_words: 1 if only is None else 0}, 0)
                else:
                    more_steps, more_words = self.size((added | self.must(to)) - sure - held)
                    reached = self._sizes_apart(to, self._key(to, held | added), after, only)
                    add(found.steps, reached.steps, more_steps)
                    add(found.words, reached.words, more_words)
            self._sizes[key] = found
        return self._sizes[key]

    def over_budget(self, root: State, shown: frozenset[Item], wording: Wording,
                    inv: model.Invariant) -> tuple[tuple[str, str], ...] | None:
        """Return the fewest answers from a root whose plan is longer than the invariant's
        budget where its `when` holds (the first such edge on a tie), or None."""
        need = inv.require

        def over(size: tuple[int, int]) -> bool:
            return ((need.max_steps is not None and size[0] > need.max_steps)
                    or (need.max_words is not None and size[1] > need.max_words))

        def fewest(state: State, held: frozenset[Item], wording: Wording,
                   base: tuple[int, int]) -> int | None:
            grown = self.sizes(state, held, wording, inv.id)
            found = [f for a, f in grown.steps.items()
                     if need.max_steps is not None and base[0] + a > need.max_steps]
            found += [f for b, f in grown.words.items()
                      if need.max_words is not None and base[1] + b > need.max_words]
            return min(found, default=None)

        state, held, base = root, shown, self.size(shown)
        left = fewest(state, held, wording, base)
        if left is None:
            return None
        answers: list[tuple[str, str]] = []
        while True:
            for (answer, end, added, delta), to in self.graph.edges[state]:
                new = added - (held & self.below(state))
                grown = (base[0] + self.size(new)[0], base[1] + self.size(new)[1])
                after = self._then(wording, delta)
                if to is None:
                    assert end is not None
                    if left == 1 and end.stuck is None and inv.id in end.budgets:
                        less = self.correction(held | new, after)
                        if over((grown[0] - less[0], grown[1] - less[1])):
                            return (*answers, answer)
                elif fewest(to, held | new, after, grown) == left - 1:
                    answers.append(answer)
                    state, held, wording, base, left = to, held | new, after, grown, left - 1
                    break
            else:
                raise AssertionError("the sizes promised a path over the budget")


def _example(pack: model.Pack, invariant: model.Invariant, start: str,
             answers: tuple[tuple[str, str], ...]) -> Counterexample:
    """Return the counterexample these answers give, saying what the plan does wrong."""
    plan = engine.walk(pack, engine.Session(start, answers)).plan()
    return Counterexample(invariant.id, start, answers, tuple(broken(invariant, plan)))


def counterexamples(pack: model.Pack) -> dict[str, Counterexample]:
    """Return, for each broken invariant, the shortest counterexample over every pathway."""
    return search(pack).broken
