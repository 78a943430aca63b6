"""Small assertions that read like the protocol."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from ms_navigator import engine, explore, invariants, loader, model, plans

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
"""A small pack that lints clean: one pathway (danger, age, NRM status, gender, the table).
Beside it, `pair` is the same in two pathways (a goto between them, a note, block-style options),
with the tiny pack's directory/."""


@cache
def shipped() -> model.Pack:
    """The pack that ships with ms-navigator: one object for the whole run (see `every_path`)."""
    return loader.load_pack_or_raise()


_EVERY_PATH: dict[tuple[int, str], tuple[model.Pack, tuple[explore.Outcome, ...]]] = {}


def every_path(pack: model.Pack, start: str | None = None) -> tuple[explore.Outcome, ...]:
    """Return `explore.outcomes(pack, start)`: every path from a start, enumerated once per
    pack and start for the whole run, however many tests read it (packs are immutable)."""
    key = (id(pack), start or pack.entry)
    if key not in _EVERY_PATH:  # the pack is kept with its paths, so its id is never reused
        with kept_for_the_run():
            _EVERY_PATH[key] = (pack, tuple(explore.outcomes(pack, start)))
    return _EVERY_PATH[key][1]


@contextmanager
def kept_for_the_run() -> Iterator[None]:
    """Take what is alive now, and what the block builds, out of the cyclic garbage collector's
    reach for the rest of the run.

    The paths of the shipped pack are millions of objects, kept (and never changed) until the
    run ends; each full collection would walk all of them again, and the run made about twenty,
    a third of the CPU of the tests that read the paths. Garbage is collected first, so nothing
    that is already garbage is kept and every finalizer (and warning) due so far still runs; the
    collector is paused while the block runs (what it builds is kept, so the collector could only
    walk it) and is not run again after it: enumerating paths makes no garbage in cycles (none
    at all in the shipped pack's 105,392 paths), and objects freed by their reference counts are
    freed at once as ever."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.freeze()


@dataclass(frozen=True)
class Walked:
    """What walking every path one by one finds: the brute force the merged search is checked
    against."""

    shortest: dict[str, int]
    """The fewest answers that break each invariant broken somewhere."""
    applied: frozenset[str]
    """The invariants whose `when` holds on some path."""
    steps: dict[int, int]
    """How many plans have each number of steps (and `words`, of words)."""
    words: dict[int, int]

    @property
    def paths(self) -> int:
        return sum(self.steps.values())


_WALKED: dict[int, tuple[model.Pack, Walked]] = {}


def walked(pack: model.Pack) -> Walked:
    """Walk every path of a pack one by one and check its invariants on each plan, once per
    pack for the run. Where `pack` is the shipped pack with other invariants
    (`dataclasses.replace`), its plans are the shipped ones, enumerated once for every test that
    walks them (`every_path`)."""
    base = shipped()
    if any(getattr(pack, f.name) is not getattr(base, f.name) for f in fields(pack)
           if f.name != "invariants" and f.compare):  # not what the engine keeps of it
        base = pack  # other plans: its own paths
    if id(pack) not in _WALKED:
        shortest: dict[str, int] = {}
        applied: set[str] = set()
        steps: dict[int, int] = {}
        words: dict[int, int] = {}
        by_length: dict[int, list[engine.Plan]] = {}
        for start in pack.starts:
            for outcome in every_path(base, start):
                size = invariants.plan_size(outcome.plan)
                steps[size[0]] = steps.get(size[0], 0) + 1
                words[size[1]] = words.get(size[1], 0) + 1
                by_length.setdefault(len(outcome.answers), []).append(outcome.plan)
        # Every plan against every invariant, the paths with the fewest answers first: an
        # invariant first found broken on a path of n answers has n as its fewest, so it is not
        # checked again on the longer paths (it is on every path until then); one whose `when`
        # has held somewhere is not asked that again.
        unbroken = list(pack.invariants.values())
        not_applied = list(unbroken)
        judged: set[tuple[object, ...]] = set()
        reads = _facts_read(pack.invariants.values())
        for length in sorted(by_length):
            for plan in by_length[length]:
                key = _what_invariants_read(plan, reads)
                if key in judged:  # the same verdicts as a plan already judged, as short or shorter
                    continue
                judged.add(key)
                if not_applied:
                    held = [rule for rule in not_applied if invariants.when_holds(rule.when, plan.facts)]
                    if held:
                        applied.update(rule.id for rule in held)
                        not_applied = [rule for rule in not_applied if rule.id not in applied]
                now = [rule for rule in unbroken if invariants.broken(rule, plan)]
                if now:
                    shortest.update((rule.id, length) for rule in now)
                    unbroken = [rule for rule in unbroken if rule.id not in shortest]
        _WALKED[id(pack)] = (pack, Walked(shortest, frozenset(applied), steps, words))
    return _WALKED[id(pack)][1]


def _facts_read(rules: Iterable[model.Invariant]) -> frozenset[str]:
    """Return every fact the invariants' conditions read, and those they require not asked."""
    from ms_navigator import conditions

    found: set[str] = set()
    for rule in rules:
        for cond in (rule.when, *(r.when for r in rule.require.only_when)):
            if cond is not None:
                found |= conditions.facts_read(cond)
        found |= set(rule.require.not_asked)
    return frozenset(found)


def _what_invariants_read(plan: engine.Plan, reads: frozenset[str]) -> tuple[object, ...]:
    """Return all of a plan that `invariants.broken` reads: the facts its rules read (their
    values, and which are known), the steps in order, the services, the contacts the steps
    list, and the plan's size. Two plans that agree on it get the same verdicts (most of the
    100,000 paths of the shipped pack end in one of some 18,000 such plans)."""
    return (tuple(sorted((f, v) for f, v in plan.facts.items() if f in reads)),
            tuple(plan.step_ids()), tuple(plan.service_ids()),
            tuple(c.id for step in plan.steps for c in step.contacts), invariants.plan_size(plan))


def tiny_pack(where: Path, name: str = "tiny", scenarios: bool = False) -> Path:
    """Return a copy of a small fixture pack (`tiny` or `pair`) in a folder of its own under
    `where`, to break on purpose; with `scenarios`, its worked scenarios too (kept outside the
    pack in the fixtures, so that pytest never collects them as the suite's own tests)."""
    root = Path(shutil.copytree(FIXTURES / name, where / name))
    if not (root / "directory").exists():  # a fixture without its own shares the tiny pack's
        shutil.copytree(TINY / "directory", root / "directory")
    if scenarios:
        shutil.copytree(FIXTURES / "tiny-scenarios", root / "scenarios")
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a pack file, failing if the text is not there (a test of nothing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the number of the first line of a file that contains `needle`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


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


_SEARCHED: dict[tuple[int, bool], tuple[model.Pack, invariants.SearchResult]] = {}


def searched(pack: model.Pack, built_in: bool = True) -> invariants.SearchResult:
    """Return `invariants.search(pack)`, searched once per pack for the whole run, however many
    tests read it (packs are immutable; the pack is kept with its result, so its id is never
    reused)."""
    key = (id(pack), built_in)
    if key not in _SEARCHED:
        _SEARCHED[key] = (pack, invariants.search(pack, built_in=built_in))
    return _SEARCHED[key][1]


THOROUGH_ENV = "MS_NAVIGATOR_EVERY_PATH"
"""Set to 1 for the thorough run (.ci/run does): every path where a test samples them, every
width where a test takes some of them."""


def thorough() -> bool:
    """Return True in the thorough run (`THOROUGH_ENV`)."""
    return os.environ.get(THOROUGH_ENV, "").strip() not in ("", "0")


def some_widths(widths: tuple[int, ...], index: int, per: int = 2) -> tuple[int, ...]:
    """Return the widths the case at `index` is drawn at: all of them in the thorough run,
    else `per` of them in turn (cases one after another go through every width), so that the
    suite still draws every width, and every case at some width, in a fraction of the time."""
    if thorough() or per >= len(widths):
        return widths
    return tuple(widths[(index * per + i) % len(widths)] for i in range(per))
