"""What a lint rule is: an id, a default level, a docstring that documents it, and a check."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ms_navigator import model
from ms_navigator.problems import Level, Problem

if TYPE_CHECKING:
    from ms_navigator.invariants import SearchResult
    from ms_navigator.loader import SourceIndex
    from ms_navigator.scenarios import ScenarioFile


@dataclass(frozen=True)
class Context:
    """What every rule may read: the loaded pack, where each item came from, and today's date."""

    pack: model.Pack
    index: SourceIndex
    today: date
    max_states: int | None = None
    """The state limit of the exhaustive search (None: `explore.MAX_STATES`)."""
    scenarios: tuple[ScenarioFile, ...] = ()
    """The pack's scenario files that could be read (`scenario-unknown-id` checks their ids)."""
    whole: bool = True
    """False for the partial pack of a pack with errors: there is no search of every path."""

    @cached_property
    def search(self) -> SearchResult:
        """Return `invariants.search(pack)`, run once however many rules read it."""
        from ms_navigator import explore, invariants

        if not self.whole:  # the runner reports pack-not-checked instead
            return invariants.SearchResult({}, {}, 0)
        return invariants.search(self.pack, self.max_states or explore.MAX_STATES)

    def problem(self, kind: str, item: str, sub: tuple[Any, ...], message: str) -> Problem:
        """Return a Problem at an item (or a key below it); the runner stamps rule and level."""
        path, line, col = self.index.locate(kind, item, *sub)
        return Problem(path, line, col, "", Level.ERROR, message)


Check = Callable[[Context], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A lint rule. `check` is None for rules the loader itself reports (syntax, schema, ...).

    `mandatory`: a safety rule, guarding the advice itself (the contract's safety rules among
    them): configuration and inline comments can neither disable nor re-level it, and a pack
    cannot remove it. `cross_file`: what it finds depends on other files of the pack, so
    `lint FILE` reports it wherever it is located. `complete`: it needs every file of the pack
    to load (the search of every path), so it runs only then.
    """

    id: str
    level: Level
    doc: str
    check: Check | None = None
    mandatory: bool = False
    cross_file: bool = False
    complete: bool = False

    @property
    def summary(self) -> str:
        """Return the first paragraph of the documentation as one line."""
        return " ".join(self.doc.split("\n\n")[0].split())


def rule(rule_id: str, level: Level, *, mandatory: bool = False, cross_file: bool = False,
         complete: bool = False) -> Callable[[Check], Rule]:
    """Turn a check generator into a Rule whose documentation is the generator's docstring."""

    def make(check: Check) -> Rule:
        return Rule(rule_id, level, inspect.cleandoc(check.__doc__ or ""), check,
                    mandatory=mandatory, cross_file=cross_file, complete=complete)

    return make


def documented(rule_id: str, level: Level, doc: str, *, mandatory: bool = False,
               cross_file: bool = False) -> Rule:
    """Return a Rule that the loader (or the lint runner) reports; only its documentation lives here."""
    return Rule(rule_id, level, inspect.cleandoc(doc), mandatory=mandatory, cross_file=cross_file)
