"""Run the loader and every lint rule over a pack; collect Problems, never print."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ms_navigator import loader, packfiles, ruleids
from ms_navigator.errors import NavigatorError
from ms_navigator.problems import Level, Problem
from ms_navigator.rules import RULES, Context

TODAY_ENV = "MS_NAVIGATOR_TODAY"
"""Lint as of this date (YYYY-MM-DD) instead of the clock's: for CI that must not fail on a date."""


def as_of(given: str | None = None, environ: Mapping[str, str] | None = None) -> date:
    """Return the date to lint as of: `given`, else MS_NAVIGATOR_TODAY, else the clock's today.

    Raise NavigatorError (exit 2) for a value that is not a date in the form YYYY-MM-DD.
    """
    env = os.environ if environ is None else environ
    text = given if given is not None else env.get(TODAY_ENV) or None
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        source = "--today" if given is not None else TODAY_ENV
        raise NavigatorError(f"{source} must be a date in the form YYYY-MM-DD, "
                             f"not {text[:40]!r}.") from None


@dataclass(frozen=True)
class Coverage:
    """How much of a pack the invariant search walked: distinct states, and complete paths."""

    pack: str
    states: int
    paths: int


@dataclass
class Report:
    """Every problem found, and what the search covered in each pack whose rules ran."""

    problems: list[Problem] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)


def lint_pack(directory: Path | None = None, today: date | None = None,
              max_states: int | None = None) -> list[Problem]:
    """Return every problem in a pack: the loader's, then (if it loaded) every rule's, sorted."""
    return sorted(set(_lint_pack(directory, today, Report(), max_states).problems))


def _lint_pack(directory: Path | None, today: date | None, report: Report,
               max_states: int | None = None) -> Report:
    """Add a pack's problems (and, if its rules ran, its coverage) to the report."""
    from ms_navigator import scenarios

    root = directory or loader.shipped_pack_dir()
    result = loader.load_pack(root)
    problems = [*result.problems, *skipped(root)]
    scenario_dir = root / "scenarios"
    if scenario_dir.is_dir():  # scenario files are part of the pack: check that they read
        problems.extend(scenarios.load([scenario_dir])[1])
    if result.pack is not None:
        ctx = Context(result.pack, result.index, today or as_of(), max_states)
        for rule in RULES.values():
            if rule.check is not None:
                # The runner, not the rule, says which rule found it and how serious it is.
                problems.extend(replace(p, rule=rule.id, level=rule.level) for p in rule.check(ctx))
        if ctx.search.limit is None:  # otherwise `state-limit` says the search stopped
            report.coverage.append(Coverage(packfiles.display_path(root), ctx.search.states,
                                            ctx.search.paths))
    report.problems.extend(problems)
    return report


def skipped(root: Path) -> list[Problem]:
    """Return a problem for each file in a pack's folders that lint does not read, so that a
    `.yml` file or a misnamed directory file is never passed as "0 error(s)" unread.

    A `.yml` file, or a `directory/*.yaml` that is not one of the directory files, is a
    warning (it was surely meant to be read); any other file is a note.
    """
    known = {*packfiles.DIRECTORY_FILES, *packfiles.OPTIONAL_FILES}
    found = []
    for folder in (root, root / "directory", root / "scenarios"):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = folder / name
            if path.is_dir():
                continue
            lower = name.lower()
            if name.endswith(".yaml") and (folder.name != "directory" or name in known):
                continue
            meant = lower.endswith((".yml", ".yaml")) or folder.name == "directory"
            hint = ("ms-navigator reads only '*.yaml' files: rename it to "
                    f"'{Path(name).stem}.yaml'" if not name.endswith(".yaml") and meant
                    else f"the directory files are {', '.join(sorted(known))}"
                    if meant else "it is not part of the pack")
            found.append(Problem(packfiles.display_path(path), 0, 0, ruleids.FILE_SKIPPED,
                                 Level.WARNING if meant else Level.INFO,
                                 f"this file is not read by lint or by the tool: {hint}."))
    return found


PACK_WIDE = frozenset({ruleids.SAFETY_RULE_BROKEN, ruleids.INVARIANT_BROKEN})
"""Rules whose problems fail the run whichever file of the pack was given (contract section 1):
a broken safety rule is the pack's, wherever its counterexample starts."""


def pack_root(path: Path) -> Path:
    """Return the pack folder a file belongs to (`directory/` and `scenarios/` sit inside it)."""
    parent = path.parent
    return parent.parent if parent.name in ("directory", "scenarios") else parent


def lint_paths(paths: list[Path], today: date | None = None) -> list[Problem]:
    """Lint each path: a pack folder in full, or a file by linting its pack and keeping its problems."""
    return run(paths, today).problems


def run(paths: list[Path], today: date | None = None, max_states: int | None = None) -> Report:
    """Return the problems of every path given (the shipped pack if none), and the coverage.

    Files are grouped by the pack they belong to, so that a pre-commit hook passing many
    files of one pack lints that pack once.
    """
    report = Report()
    files: dict[Path, list[Path]] = {}
    targets: list[Path | None] = [*paths] or [None]  # None: the shipped pack
    for path in targets:
        if path is not None and path.is_dir() and not (path / "directory").is_dir():
            report.problems.append(Problem(
                packfiles.display_path(path), 0, 0, ruleids.FILE, Level.ERROR,
                "not a pathway pack: a pack folder holds the pathway files and "
                "a directory/ folder (facts.yaml, steps.yaml, ...)."))
        elif path is None or path.is_dir() or not path.exists():
            _lint_pack(path, today, report, max_states)
        else:
            files.setdefault(pack_root(path), []).append(path)
    for root, members in files.items():
        report.problems.extend(_lint_files(root, members, today, max_states))
    report.problems = sorted(set(report.problems))
    return report


def _lint_files(root: Path, paths: list[Path], today: date | None,
                max_states: int | None = None) -> list[Problem]:
    """Return the problems of some files of one pack; say so when errors in its other files
    stopped the checks across the pack."""
    shown = {packfiles.display_path(p) for p in paths}
    everything = lint_pack(root, today, max_states)
    mine = [p for p in everything if p.path in shown or p.rule in PACK_WIDE]
    elsewhere = {p.path for p in everything if p not in mine and p.level is Level.ERROR}
    if elsewhere:
        mine.extend(Problem(path, 0, 0, ruleids.PACK_NOT_CHECKED, Level.WARNING,
                            f"{len(elsewhere)} other file(s) of this pack have errors, so the "
                            "checks across files did not run; lint the pack folder to see them.")
                    for path in sorted(shown))
    return mine
