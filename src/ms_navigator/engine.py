"""The pure decision engine: answers in, the next question or the finished plan out.

Nothing here prints or prompts. A session is only the pathway it starts at and the answers
given so far; everything else (where the user is, which steps apply) is found by replaying
those answers through the pathways. That makes going back and changing an answer exact:
an answer no longer on the path is dropped, never silently kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Union, cast

from ms_navigator import conditions, eligibility, model
from ms_navigator.errors import FlowError, InvalidAnswer, UnknownPathway
from ms_navigator.session import Session as Session

MAX_TRANSITIONS = 2_000
"""A walk longer than this is a loop in the content; stop rather than hang an officer's laptop."""


@dataclass(frozen=True)
class Question:
    """The question the user must answer next."""

    pathway: str
    section: str
    node: str
    fact: str
    text: str
    why: str | None
    help: str | None
    source: str
    options: tuple[tuple[str, str], ...]  # (value, label)

    def values(self) -> list[str]:
        return [value for value, _ in self.options]


@dataclass(frozen=True)
class Answered:
    """One question asked on the path, and the answer given."""

    pathway: str
    node: str
    question: str
    fact: str
    value: str
    label: str


@dataclass(frozen=True)
class PlannedStep:
    """A recommended step in the plan, with the contacts it names."""

    step: model.StepDef
    contacts: tuple[model.Contact, ...]
    pathway: str
    because: tuple[Answered, ...] | None = None
    """The answers that put this step in the plan (see `because.py`): None until worked out,
    empty when no single answer decides it."""
    replaced: tuple[model.StepDef, ...] = ()
    """The steps of this path that this one stands for (its `replaces`), left out of the plan."""

    def in_other_words(self, step: model.StepDef, contacts: tuple[model.Contact, ...]) -> PlannedStep:
        """Return it worded by `step` (a variant of its step) with these contacts: as
        `dataclasses.replace` would, at a quarter of its cost (every plan of every path)."""
        return PlannedStep(step, contacts, self.pathway, self.because, self.replaced)

    def standing_for(self, replaced: tuple[model.StepDef, ...]) -> PlannedStep:
        """Return it as the step that stands for `replaced` (see `in_other_words`)."""
        return PlannedStep(self.step, self.contacts, self.pathway, self.because, replaced)


@dataclass(frozen=True)
class Guidance:
    """Guidance (an info node) the user passed on the way."""

    pathway: str
    node: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class Walk:
    """Where the answers lead: everything passed so far, and the question waiting (if any)."""

    start: str
    transcript: tuple[Answered, ...]
    pathways: tuple[str, ...]
    steps: tuple[PlannedStep, ...]
    offers: tuple[eligibility.Offer, ...]
    guidance: tuple[Guidance, ...]
    pending: Question | None
    guidance_since_last_answer: tuple[Guidance, ...] = ()
    returns: tuple[tuple[str, str], ...] = ()
    """Where the walk will go back to, innermost last: (pathway, node) after each `goto ... next`."""
    first_step: str = ""
    """The step a plan lists before every other when it has it (the pack's policy)."""
    do_first: model.DoFirst | None = None
    """How the plan's steps to do first are chosen (the pack's policy); None: none are."""
    derived: tuple[tuple[str, str], ...] = ()
    """Facts known without being asked: from the pathway's reader and the policy's `implies`
    (an NHS reader is not a First Responder)."""
    assumed: tuple[tuple[str, str, str], ...] = ()
    """(fact, value, note): what the steps planned so far make true for the rest of the plan
    (their `effects`); the answers given stay in `facts`."""
    final: tuple[PlannedStep, ...] | None = None
    """The plan's steps once the walk is done: ordered, without those others replace, in the
    words for this reader (`settle`)."""

    @property
    def done(self) -> bool:
        return self.pending is None

    @property
    def facts(self) -> dict[str, str]:
        """Return the facts of the path: those asked, in the order asked, then those known
        without asking (derived)."""
        found = {a.fact: a.value for a in self.transcript}
        for fact, value in self.derived:
            found.setdefault(fact, value)
        return found

    @property
    def seen(self) -> dict[str, str]:
        """Return the facts as the rest of the path reads them: `facts` with what the planned
        steps assume in place of the answers they overtake."""
        return {**self.facts, **{fact: value for fact, value, _ in self.assumed}}

    @property
    def answers(self) -> tuple[tuple[str, str], ...]:
        """Return the answers on the path as (fact, value) pairs, in the order they were asked."""
        return tuple((a.fact, a.value) for a in self.transcript)

    def plan(self) -> Plan:
        """Return the finished plan; FlowError if a question is still waiting.

        The steps and services carry no `because` trail here (None: it costs a replay per
        alternative answer); `plans.complete()` adds it, and `plans.run_scripted` and the
        question loop use that.
        """
        if self.pending is not None:
            raise FlowError(f"the plan is not ready: '{self.pending.fact}' is still to be answered")
        # settled when the walk finished (`_Walker._result`), unless `proceed(plan=False)`
        assert self.final is not None, "a walk continued with plan=False has no plan"
        steps = self.final
        return Plan(
            facts=self.facts,
            pathways=self.pathways,
            steps=steps,
            do_first=do_first(tuple(s.step for s in steps), self.first_step, self.do_first),
            offers=tuple(_unique(self.offers, key=lambda o: o.service.id)),
            guidance=tuple(_unique(self.guidance, key=lambda g: (g.pathway, g.node))),
            transcript=self.transcript,
        )


@dataclass(frozen=True)
class Plan:
    """The end of a session: steps by urgency, services, and the answers that led there."""

    facts: dict[str, str]
    pathways: tuple[str, ...]
    steps: tuple[PlannedStep, ...]
    offers: tuple[eligibility.Offer, ...]
    guidance: tuple[Guidance, ...]
    transcript: tuple[Answered, ...]
    do_first: tuple[str, ...] = ()
    """The ids of the steps to do first, in the order to do them (CONTRACT section 3)."""

    def step_ids(self) -> list[str]:
        return [s.step.id for s in self.steps]

    def first_steps(self) -> tuple[PlannedStep, ...]:
        """Return the planned steps to do first, in the order to do them."""
        by_id = {s.step.id: s for s in self.steps}
        return tuple(by_id[i] for i in self.do_first)

    def service_ids(self) -> list[str]:
        return [o.service.id for o in self.offers]


_URGENCY_ORDER = {u: i for i, u in enumerate(model.Urgency)}


def step_order(step: model.StepDef, first: str) -> tuple[bool, int]:
    """Return which group a step sorts into in a plan: the policy's first step (`call_999`)
    first, then by urgency. Within a group, `ordered` puts each step after those it names in
    `after`."""
    return (step.id != first, _URGENCY_ORDER[step.urgency])


def ordered(steps: tuple[model.StepDef, ...], first: str) -> tuple[model.StepDef, ...]:
    """Return steps without repeats in plan order: grouped by `step_order`; within a group,
    each step after the steps of the group its `after` names, otherwise in the order the
    pathways added them (the earliest that may come next comes next).

    Lint refuses a cycle of `after` (rule step-order); were one met, its steps keep the order
    they were added in rather than being lost. Worked out once for each list of steps met:
    many paths end with the same steps (the shipped pack's 105,392 paths with some 9,000 lists).
    """
    key = (first, *map(id, steps))
    found = _ORDERED.get(key)
    if found is None:
        if len(_ORDERED) >= _ORDERED_MOST:
            _ORDERED.clear()
        found = _ORDERED[key] = (steps, _ordered(steps, first))
    return found[1]


_ORDERED: dict[tuple[object, ...], tuple[tuple[model.StepDef, ...], tuple[model.StepDef, ...]]] = {}
"""`ordered` by the policy's first step and the identity of each step, with the steps (so that
no id can be taken by another object while the entry lives)."""

_ORDERED_MOST = 50_000
"""Entries `_ORDERED` keeps before it starts again."""


def _ordered(steps: tuple[model.StepDef, ...], first: str) -> tuple[model.StepDef, ...]:
    unique = _unique(steps, key=lambda s: s.id)
    groups: dict[tuple[bool, int], list[model.StepDef]] = {}
    for step in unique:
        groups.setdefault(step_order(step, first), []).append(step)
    result: list[model.StepDef] = []
    for _, group in sorted(groups.items()):
        ids = {s.id for s in group}
        if not any(ids.intersection(s.after) for s in group):
            result.extend(group)  # nothing in the group names another: the order added
            continue
        waiting = list(group)
        while waiting:
            ids = {s.id for s in waiting}
            ready = next((s for s in waiting if not ids.intersection(s.after)), waiting[0])
            result.append(ready)
            waiting.remove(ready)
    return tuple(result)


def order_steps(steps: tuple[PlannedStep, ...], first: str) -> tuple[PlannedStep, ...]:
    """Return planned steps without repeats, in plan order (`ordered`)."""
    by_id = {s.step.id: s for s in reversed(steps)}  # the first of repeats is kept
    return tuple(by_id[s.id] for s in ordered(tuple(s.step for s in steps), first))


def do_first(steps: tuple[model.StepDef, ...], first: str,
             rule: model.DoFirst | None) -> tuple[str, ...]:
    """Return the ids of the steps to do first, from steps in plan order: the policy's first
    step, then those of the urgencies the policy names, at most as many as it allows."""
    if rule is None:
        return ()
    chosen = [s.id for s in steps if s.id == first or s.urgency in rule.urgencies]
    return tuple(chosen[: rule.most])


def now_steps(pack: model.Pack, walk: Walk) -> tuple[PlannedStep, ...]:
    """Return the steps to be done now that the answers so far have put in the plan, in plan
    order and in the reader's words: what a front end shows at once, before the next question
    (CONTRACT section 1)."""
    seen = walk.seen
    return tuple(in_words(pack, s, seen) for s in order_steps(walk.steps, walk.first_step)
                 if s.step.urgency is model.Urgency.NOW)


def replaced_ids(steps: Any) -> set[str]:
    """Return the ids of the steps that others among `steps` (StepDefs) replace."""
    return {r for step in steps for r in step.replaces if r != step.id}


def settle(pack: model.Pack, steps: tuple[PlannedStep, ...], seen: Mapping[str, str]
           ) -> tuple[PlannedStep, ...]:
    """Return a finished path's steps as its plan lists them: in order, without repeats,
    without the steps others replace (each keeper saying which it replaced), and each in the
    words of its first variant whose condition holds on the facts as the path ends."""
    ordered = order_steps(steps, pack.policy.first_step)
    present = {s.step.id: s.step for s in ordered}
    dropped = replaced_ids(s.step for s in ordered)
    settled = []
    for planned in ordered:
        if planned.step.id in dropped:
            continue
        worded = in_words(pack, planned, seen)
        replaced = tuple(present[r] for r in planned.step.replaces
                         if r in present and r != planned.step.id)
        settled.append(worded if replaced == worded.replaced else worded.standing_for(replaced))
    return tuple(settled)


def in_words(pack: model.Pack, planned: PlannedStep, seen: Mapping[str, str]) -> PlannedStep:
    """Return a planned step in the words (and with the contacts) its variants give on these
    facts: what every front end shows, in the plan and before the next question alike."""
    step = worded(planned.step, seen)
    if step is planned.step:
        return planned
    contacts = (planned.contacts if step.contacts == planned.step.contacts
                else tuple(pack.contacts[c] for c in step.contacts))
    return planned.in_other_words(step, contacts)


def worded(step: model.StepDef, seen: Mapping[str, str]) -> model.StepDef:
    """Return a step in the words of its first variant whose condition holds on these facts
    (its text, summary and contacts), or as it is: the one place a variant is applied."""
    for index, variant in enumerate(step.variants):
        if conditions.evaluate(variant.when, seen) is True:
            made = _WORDED.get((id(step), index))
            if made is None:
                update: dict[str, Any] = {"text": variant.text}
                if variant.summary is not None:
                    update["summary"] = variant.summary
                if variant.contacts is not None:
                    update["contacts"] = list(variant.contacts)
                if len(_WORDED) >= _WORDED_MOST:
                    _WORDED.clear()
                made = _WORDED[id(step), index] = (step, step.model_copy(update=update))
            return made[1]
    return step


_WORDED: dict[tuple[int, int], tuple[model.StepDef, model.StepDef]] = {}
"""Each step as worded by each of its variants, made once (a copy of the model costs more
than the rest of a plan's settling): by the step's identity and the variant's place, with the
step itself (so that its id cannot be taken by another while the entry lives)."""

_WORDED_MOST = 10_000
"""Entries `_WORDED` keeps before it starts again (a program that loads many packs)."""


def _unique(items: Any, key: Any) -> list[Any]:
    """Return the items without repeats (by `key`), each at its first place."""
    kept: dict[Any, Any] = {}
    for item in items:
        kept.setdefault(key(item), item)
    return list(kept.values())


def start(pack: model.Pack, pathway: str | None = None) -> Session:
    """Return a new session at a pathway (the pack's entry pathway by default)."""
    pathway = pathway or pack.entry
    if pathway not in pack.pathways:
        raise UnknownPathway(
            f"there is no pathway '{pathway}'. Run 'ms-navigator list' to see the ids."
        )
    if pathway == pack.policy.preamble:
        raise UnknownPathway(
            f"'{pathway}' asks the questions every pathway starts with; it cannot be started on "
            f"its own. Start at '{pack.entry}' or another pathway ('ms-navigator list').")
    return Session(start=pathway)


def check_answer(pack: model.Pack, fact: str, value: Any) -> str:
    """Return the value if the fact exists and allows it; raise InvalidAnswer naming the problem."""
    if fact not in pack.facts:
        raise InvalidAnswer(f"unknown fact '{fact}'. Known facts: {', '.join(pack.facts)}.", fact)
    allowed = pack.facts[fact].allowed()
    if not isinstance(value, str) or value not in allowed:
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        raise InvalidAnswer(
            f"'{fact}' cannot be {shown}; allowed values: {', '.join(allowed)}.", fact
        )
    return value


def walk(pack: model.Pack, session: Session) -> Walk:
    """Replay the session's answers from its start; stop at the first unanswered question."""
    return _Walker(pack, session.start, session.answer_map()).run()


def proceed(pack: model.Pack, paused: Walk, value: str, *, plan: bool = True) -> Walk:
    """Return the walk continued from its waiting question with `value`, without a replay.

    The same result as walking the session with that answer added, at the cost of the new part
    only: what lets the exhaustive checks visit every path of every pathway quickly. The value
    must be one of the question's options (the caller enumerates them). With `plan=False` a
    walk that finishes is not settled into its plan (`Walk.final` stays None, so `plan()`
    cannot be called on it): for checks that read only the steps and facts collected, which
    would otherwise pay for ordering and wording every plan.
    """
    if paused.pending is None:
        raise FlowError("there is no question waiting: the plan is complete")
    walker = _Walker.resuming(pack, paused, value)
    walker.settling = plan
    return walker.run()


def answer(pack: model.Pack, session: Session, value: str) -> Session:
    """Return the session with the waiting question answered; InvalidAnswer if not an option."""
    pending = walk(pack, session).pending
    if pending is None:
        raise FlowError("there is no question waiting: the plan is complete")
    if value not in pending.values():
        raise InvalidAnswer(
            f"'{value}' is not an answer to \"{pending.text}\"; choose one of: "
            f"{', '.join(pending.values())}.", pending.fact
        )
    return replace(session, answers=session.answers + ((pending.fact, value),))


def back(pack: model.Pack, session: Session) -> Session:
    """Return the session with the last answer on the path undone (unchanged if none)."""
    transcript = walk(pack, session).transcript
    if not transcript:
        return session
    return prune(pack, replace(session, answers=tuple(
        (f, v) for f, v in session.answers if f != transcript[-1].fact)))


def change(pack: model.Pack, session: Session, fact: str, value: str) -> Session:
    """Return the session with one earlier answer changed and every answer now off the path dropped."""
    check_answer(pack, fact, value)
    answers = tuple((f, value if f == fact else v) for f, v in session.answers)
    return prune(pack, replace(session, answers=answers))


def question_for(pack: model.Pack, session: Session, fact: str) -> Question:
    """Return the question that set `fact` on this session's path, to ask it again.

    Without that one answer, the replay stops exactly there: the path up to a question
    depends only on the answers before it. FlowError if the fact is not on the path.
    """
    without = replace(session, answers=tuple((f, v) for f, v in session.answers if f != fact))
    pending = walk(pack, without).pending
    if pending is None or pending.fact != fact:
        raise FlowError(f"'{fact}' is not asked on this path, so it cannot be changed")
    return pending


def prune(pack: model.Pack, session: Session) -> Session:
    """Return the session keeping only answers that are used on its path, in path order."""
    used = walk(pack, session).answers  # only what was asked: derived facts are never kept
    return replace(session, answers=used)


def holds(cond: model.Condition, facts: Mapping[str, str], where: str) -> bool:
    """Return whether a branch's condition holds now; FlowError if that is not known because it
    reads the value of a fact not yet asked (a content bug: the branch comes too early)."""
    value = conditions.evaluate(cond, facts, unasked=None)
    if value is None:
        unasked = sorted(conditions.reads(cond)[0] - facts.keys())
        raise FlowError(f"{where} tests '{', '.join(unasked)}' before it has been asked")
    return value


_Moved = Union[tuple[model.Pathway, str], Walk]
"""Where a walk goes after a node (the pathway and node id), or its result where it stops."""


class _Walker:
    """One replay of answers through the pathways (a small state machine with a call stack)."""

    def __init__(self, pack: model.Pack, start_at: str, answers: Mapping[str, str]) -> None:
        self.pack = pack
        self.start = start_at
        self.answers = answers
        self.used: dict[str, str] = {}
        self.transcript: list[Answered] = []
        self.pathways: list[str] = []
        self.steps: list[PlannedStep] = []
        self.offers: list[eligibility.Offer] = []
        self.guidance: list[Guidance] = []
        self.recent: list[Guidance] = []
        self.stack: list[tuple[str, str]] = []
        self.at: tuple[str, str] | None = None  # where to carry on from; None: the start
        self.derived: dict[str, str] = {}
        self.assumed: dict[str, tuple[str, str]] = {}  # fact: (value, note)
        self.settling = True  # settle the plan's steps when the walk finishes

    @classmethod
    def resuming(cls, pack: model.Pack, paused: Walk, value: str) -> _Walker:
        """Return a walker in the state `paused` stopped in, with its question answered."""
        assert paused.pending is not None
        given = {a.fact: a.value for a in paused.transcript}
        walker = cls(pack, paused.start, {**given, paused.pending.fact: value})
        walker.used = given.copy()
        walker.derived = dict(paused.derived)
        walker.assumed = {fact: (v, note) for fact, v, note in paused.assumed}
        walker.transcript = list(paused.transcript)
        walker.pathways = list(paused.pathways)
        walker.steps = list(paused.steps)
        walker.offers = list(paused.offers)
        walker.guidance = list(paused.guidance)
        walker.stack = list(paused.returns)
        walker.at = (paused.pending.pathway, paused.pending.node)
        return walker

    def run(self) -> Walk:
        if self.at is None:
            pathway = self.pack.pathway(self.start)
            node_id = pathway.start
            preamble = self.pack.policy.preamble
            if (preamble is not None and preamble in self.pack.pathways
                    and self.start not in (self.pack.entry, preamble)):
                # Every start runs the preamble first, so danger, age, the organisation and
                # care needs are never skipped; then the chosen pathway from its start.
                self._read(pathway.id)
                self.stack.append((pathway.id, node_id))
                pathway = self.pack.pathway(preamble)
                node_id = pathway.start
                self._enter(pathway.id)
                self._enter(self.start)
            else:
                self._enter(pathway.id)
        else:
            pathway = self.pack.pathway(self.at[0])
            node_id = self.at[1]
        for _ in range(MAX_TRANSITIONS):
            node = pathway.node(node_id)
            moved = _ACTIONS[type(node)](self, pathway, node)
            if isinstance(moved, Walk):
                return moved
            pathway, node_id = moved
        raise FlowError(f"the pathways went round more than {MAX_TRANSITIONS} times without "
                        f"finishing (last at {pathway.id}/{node_id}): the content has a loop")

    def _enter(self, pathway_id: str) -> None:
        if pathway_id not in self.pathways:
            self.pathways.append(pathway_id)
            self._read(pathway_id)

    def _read(self, pathway_id: str) -> None:
        """Know what the pathway says of its reader (its `reader`), unless already known."""
        for fact, value in self.pack.pathway(pathway_id).reader.items():
            if fact not in self.used and fact not in self.derived:
                self.derived[fact] = value
        self._derive()

    def _derive(self) -> None:
        """Know the facts that follow from those known now (policy `implies`)."""
        rules = self.pack.policy.implies
        if not rules:
            return
        known = {**self.used, **self.derived}
        for rule in rules:
            if any(f not in known for f in rule.facts) and conditions.evaluate(rule.when, known) is True:
                for fact, value in rule.facts.items():
                    if fact not in known:
                        self.derived[fact] = known[fact] = value

    def seen(self) -> dict[str, str]:
        """Return the facts as the path reads them now: answered, derived, then assumed."""
        if not self.derived and not self.assumed:
            return self.used
        return {**self.used, **self.derived, **{f: v for f, (v, _) in self.assumed.items()}}

    def _follow(self, pathway: model.Pathway, node: model.QuestionNode) -> str:
        value = self.answers[node.fact]
        option = node.option_map.get(value)
        if option is None:
            allowed = ", ".join(o.value for o in node.options)
            raise FlowError(f"the answer {node.fact} = {value} does not fit the question "
                            f"\"{node.text}\" on the {pathway.id} pathway, which allows: {allowed}")
        if node.fact not in self.used:
            self.used[node.fact] = value
            label = option.label or self.pack.facts[node.fact].label(value)
            self.transcript.append(Answered(pathway.id, node.id, node.text, node.fact, value, label))
            self.recent.clear()
            self._derive()
        return option.next

    def _known(self, pathway: model.Pathway, node: model.QuestionNode, value: str) -> str:
        """Follow a question whose fact is known without asking (derived, or assumed by a
        planned step): it is not asked, and the answers keep what was actually said."""
        option = node.option_map.get(value)
        if option is None:
            allowed = ", ".join(o.value for o in node.options)
            raise FlowError(f"{node.fact} is known to be {value}, which does not fit the question "
                            f"\"{node.text}\" on the {pathway.id} pathway, which allows: {allowed}")
        return option.next

    # One action per node type (what each type reads and adds is declared in `nodes`): each
    # returns where the walk goes next, or the walk's result where it stops.

    def _ask(self, pathway: model.Pathway, node: model.QuestionNode) -> _Moved:
        if node.fact in self.assumed:
            return pathway, self._known(pathway, node, self.assumed[node.fact][0])
        if node.fact in self.derived:
            return pathway, self._known(pathway, node, self.derived[node.fact])
        if node.fact not in self.answers:
            return self._result(self._question(pathway, node))
        return pathway, self._follow(pathway, node)

    def _end(self, pathway: model.Pathway, node: model.EndNode) -> _Moved:
        if not self.stack:
            return self._result(None)
        pathway_id, nxt = self.stack.pop()
        return self.pack.pathway(pathway_id), nxt

    def _goto(self, pathway: model.Pathway, node: model.GotoNode) -> _Moved:
        if node.next is not None:
            self.stack.append((pathway.id, node.next))
        called = self.pack.pathway(node.pathway)
        self._enter(called.id)
        return called, called.start

    def _step(self, pathway: model.Pathway, node: model.StepNode) -> _Moved:
        for step_id in node.steps:
            planned = cast("PlannedStep | None", self.pack.planned.get((step_id, pathway.id)))
            if planned is None:
                step = self.pack.steps[step_id]
                planned = self.pack.planned[step_id, pathway.id] = PlannedStep(
                    step, tuple(self.pack.contacts[c] for c in step.contacts), pathway.id)
            self.steps.append(planned)
            step = planned.step
            for effect in step.effects:
                if effect.when is None or conditions.evaluate(effect.when, self.seen()) is True:
                    for fact, value in effect.assume.items():
                        self.assumed[fact] = (value, effect.note)
        return pathway, node.next

    def _info(self, pathway: model.Pathway, node: model.InfoNode) -> _Moved:
        note = Guidance(pathway.id, node.id, node.title, node.text, node.source)
        self.guidance.append(note)
        self.recent.append(note)
        return pathway, node.next

    def _offer(self, pathway: model.Pathway, node: model.ServicesNode) -> _Moved:
        self._services(pathway, node)
        return pathway, node.next

    def _branch(self, pathway: model.Pathway, node: model.BranchNode) -> _Moved:
        for route in node.routes:
            if holds(route.when, self.seen(), f"{pathway.id}/{node.id}"):
                return pathway, route.next
        if node.otherwise is None:
            raise FlowError(f"{pathway.id}/{node.id}: no route fits and there is no 'otherwise'")
        return pathway, node.otherwise

    def _services(self, pathway: model.Pathway, node: model.ServicesNode) -> None:
        if node.table is not None:
            inputs = self.pack.policy.table_inputs
            seen = self.seen()
            if inputs.status not in seen:
                raise FlowError(f"{pathway.id}/{node.id} lists services before "
                                f"'{inputs.status}' is asked")
            found = eligibility.offers(self.pack, node.table, seen[inputs.status],
                                       seen.get(inputs.gender), seen)
            if inputs.status in self.assumed and inputs.status in self.used:
                # The table read what a planned step makes true: a service that the answer
                # given would not open says it is open once the step is done.
                note = self.assumed[inputs.status][1]
                before = {o.service.id for o in eligibility.offers(
                    self.pack, node.table, self.used[inputs.status], seen.get(inputs.gender),
                    seen)}
                found = [o if o.service.id in before else
                         replace(o, note=f"{note} {o.note}" if o.note else note) for o in found]
            self.offers.extend(found)
        self.offers.extend(eligibility.direct_offer(self.pack, s) for s in node.services)

    def _question(self, pathway: model.Pathway, node: model.QuestionNode) -> Question:
        fact = self.pack.facts[node.fact]
        options = tuple((o.value, o.label or fact.label(o.value)) for o in node.options)
        return Question(pathway.id, pathway.section, node.id, node.fact, node.text, node.why,
                        node.help, node.source, options)

    def _result(self, pending: Question | None) -> Walk:
        assumed = tuple((f, v, note) for f, (v, note) in self.assumed.items())
        final = (settle(self.pack, tuple(self.steps), self.seen())
                 if pending is None and self.settling else None)
        return Walk(
            start=self.start,
            transcript=tuple(self.transcript),
            pathways=tuple(self.pathways),
            steps=tuple(self.steps),
            offers=tuple(self.offers),
            guidance=tuple(self.guidance),
            pending=pending,
            guidance_since_last_answer=tuple(self.recent),
            returns=tuple(self.stack),
            first_step=self.pack.policy.first_step,
            do_first=self.pack.policy.do_first,
            derived=tuple(self.derived.items()),
            assumed=assumed,
            final=final,
        )


_ACTIONS: dict[type, Callable[[_Walker, model.Pathway, Any], _Moved]] = {
    model.QuestionNode: _Walker._ask,
    model.EndNode: _Walker._end,
    model.GotoNode: _Walker._goto,
    model.StepNode: _Walker._step,
    model.InfoNode: _Walker._info,
    model.ServicesNode: _Walker._offer,
    model.BranchNode: _Walker._branch,
}
"""What the engine does at each node type; `nodes.KINDS` declares the same types."""
