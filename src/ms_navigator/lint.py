"""Run the loader and every lint rule over a pack; collect Problems, never print.

One run reports everything it can: a file that fails its schema is still read for what can
be checked (its other items, and the references to and from them), every other file gets all
its checks, and the checks that need the whole pack (every path) run when every file reads;
until then `pack-not-checked` fails the run. `lint FILE` checks the whole pack of the file and
reports the problems in that file plus every cross-file problem, wherever it is located.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ms_navigator import invariants, lintconfig, loader, model, packfiles, ruleids, spans, suppressions, yamlread
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
    lengths: invariants.Lengths | None = None
    """How long the plans at the ends of every path are (None: no path ends in a plan, or
    they were not counted: `lengths_skipped`)."""
    lengths_skipped: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the coverage as plain data (SARIF run properties)."""
        found: dict[str, object] = {"pack": self.pack, "states": self.states, "paths": self.paths}
        if self.lengths_skipped is not None:
            found["planLengthNotCounted"] = self.lengths_skipped
        if self.lengths is not None:
            found["planLength"] = {"medianSteps": self.lengths.median_steps,
                                   "largestSteps": self.lengths.most_steps,
                                   "medianWords": self.lengths.median_words,
                                   "largestWords": self.lengths.most_words}
        return found


@dataclass
class Report:
    """Every problem found, what the search covered in each pack whose rules ran, and the
    problems silenced by inline comments (with their reasons)."""

    problems: list[Problem] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    suppressed: list[suppressions.Suppression] = field(default_factory=list)


def lint_pack(directory: Path | None = None, today: date | None = None,
              max_states: int | None = None) -> list[Problem]:
    """Return every problem in a pack: the loader's, then every rule's that could run, sorted."""
    return sorted(set(_lint_pack(directory, today, Report(), max_states)))


_REFERENCES = frozenset({ruleids.UNKNOWN_NODE, ruleids.UNKNOWN_FACT, ruleids.UNKNOWN_VALUE,
                         ruleids.UNKNOWN_STEP, ruleids.UNKNOWN_SERVICE, ruleids.UNKNOWN_CONTACT,
                         ruleids.UNKNOWN_PATHWAY, ruleids.UNKNOWN_TABLE, ruleids.UNKNOWN_COLUMN})
"""The rules of references to nothing (integrity)."""
_REFERENCE = re.compile(r"unknown (?:value of )?(\S+) '([^']*)'")
"""The kind and id (or, for a value, the fact) that an `unknown-*` message names."""


def _left_out(problem: Problem, unchecked: Mapping[str, set[str] | None]) -> bool:
    """Return True for a reference to something that a broken file left out of the pack:
    its own error is reported already, and the reference may well be right."""
    found = _REFERENCE.match(problem.message)
    if problem.rule not in _REFERENCES or found is None:
        return False
    kind, ident = found.groups()
    if problem.rule == ruleids.UNKNOWN_VALUE:
        kind = "fact"
    if kind not in unchecked:
        return False
    ids = unchecked[kind]
    return ids is None or ident in ids


def _checkable(pack: model.Pack, index: loader.SourceIndex,
               problems: list[Problem]) -> model.Pack:
    """Return the partial pack without the pathways and tables whose references point at
    nothing: the rules read the pack as the engine would, and assume every reference holds."""
    dangling = {p.path for p in problems if p.rule in _REFERENCES}
    return replace(pack,
                   pathways={k: v for k, v in pack.pathways.items()
                             if pack.files.get(k) not in dangling},
                   tables={k: v for k, v in pack.tables.items()
                           if index.where[("table", k)][0] not in dangling
                           and all(_offerable(pack, row.service) for row in v.rows)})


def _offerable(pack: model.Pack, service: str) -> bool:
    """Return True when a service and its contact are both in the (partial) pack."""
    return service in pack.services and pack.services[service].contact in pack.contacts


def _lint_pack(directory: Path | None, today: date | None, report: Report,
               max_states: int | None = None) -> list[Problem]:
    """Return a pack's problems; add the search's coverage to the report when it ran."""
    from ms_navigator import scenarios

    root = directory or loader.shipped_pack_dir()
    result = loader.load_pack(root, salvage=True)
    problems = [p for p in result.problems if not _left_out(p, result.unchecked)]
    if root.is_dir():
        problems.extend(skipped(root))
    scenario_dir = root / "scenarios"
    found: list[scenarios.ScenarioFile] = []
    if scenario_dir.is_dir():  # scenario files are part of the pack: check that they read
        found, scenario_problems = scenarios.load_files([scenario_dir])
        problems.extend(scenario_problems)
    pack = result.pack or result.partial
    if pack is None:
        if root.is_dir() and any(p.level is Level.ERROR for p in problems):
            problems.append(_not_checked(root, problems))
        return problems
    complete = result.pack is not None
    ctx = Context(pack if complete else _checkable(pack, result.index, result.problems),
                  result.index, today or as_of(), max_states=max_states,
                  scenarios=tuple(found), whole=complete)
    for rule in RULES.values():
        if rule.check is not None and (complete or not rule.complete):
            # The runner, not the rule, says which rule found it and how serious it is.
            problems.extend(replace(p, rule=rule.id, level=rule.level) for p in rule.check(ctx))
    if complete and ctx.search.limit is None:  # otherwise `state-limit` says it stopped
        report.coverage.append(Coverage(packfiles.display_path(root), ctx.search.states,
                                        ctx.search.paths, ctx.search.lengths,
                                        ctx.search.lengths_skipped))
    elif not complete:
        problems.append(_not_checked(root, problems))
    return problems


def _not_checked(root: Path, problems: list[Problem]) -> Problem:
    """Return the error that says the checks of every path did not run, and why."""
    broken = sorted({p.path for p in problems if p.level is Level.ERROR})
    return Problem(packfiles.display_path(root), 0, 0, ruleids.PACK_NOT_CHECKED, Level.ERROR,
                   f"the safety invariants and the other checks of every path did not run: "
                   f"{len(broken)} file(s) have errors ({', '.join(broken)}). Correct them and "
                   "lint again.")


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


def pack_root(path: Path) -> Path:
    """Return the pack folder a file belongs to (`directory/` and `scenarios/` sit inside it)."""
    return loader.pack_of(path) or path.parent


def lint_paths(paths: list[Path], today: date | None = None) -> list[Problem]:
    """Lint each path: a pack folder in full, or a file by linting its pack (see `run`)."""
    return run(paths, today).problems


def run(paths: list[Path], today: date | None = None,
        config: lintconfig.Config | None = None, max_states: int | None = None) -> Report:
    """Return the problems of every path given (the shipped pack if none), and the coverage.

    Files are grouped by the pack they belong to, so that a pre-commit hook passing many
    files of one pack lints that pack once; a pack folder given as well takes them all in.
    The configuration's rule settings, then the files' inline suppressions, are applied.
    """
    settings = config or lintconfig.Config()
    report = Report()
    packs: dict[Path | None, set[str] | None] = {}  # None: report every file of the pack
    targets: list[Path | None] = [*paths] or [None]  # None: the shipped pack
    for path in targets:
        if path is not None and path.is_dir() and loader.pack_of(path) != path:
            report.problems.append(Problem(
                packfiles.display_path(path), 0, 0, ruleids.FILE, Level.ERROR,
                "not a pathway pack: a pack folder holds the pathway files and "
                "a directory/ folder (facts.yaml, steps.yaml, ...)."))
        elif path is None or path.is_dir() or not path.exists():
            packs[path] = None
        elif loader.pack_of(path) is None:
            report.problems.append(Problem(
                packfiles.display_path(path), 0, 0, ruleids.FILE, Level.ERROR,
                "this file is in no pathway pack: a pack folder holds the pathway files and a "
                "directory/ folder, with scenarios/ beside it."))
        else:
            shown = packs.setdefault(pack_root(path), set())
            if shown is not None:
                shown.add(packfiles.display_path(path))
    for root, shown in packs.items():
        everything = settings.apply(_lint_pack(root, today, report, max_states))
        everything, used = suppressions.apply(everything, _pack_lines(root))
        if shown is None:
            report.problems.extend(everything)
            report.suppressed.extend(used)
        else:
            report.problems.extend(_about(everything, shown))
            kept = set(_about([s.problem for s in used], shown))
            report.suppressed.extend(s for s in used if s.problem in kept)
    report.problems = spans.with_ends(sorted(set(report.problems)), _lines)
    report.suppressed.sort(key=lambda s: s.problem)
    return report


def run_stdin(target: Path, data: bytes, today: date | None = None,
              config: lintconfig.Config | None = None, max_states: int | None = None) -> Report:
    """Lint the pack of `target` as if that file held `data` (an editor's unsaved buffer, or
    `git show REV:FILE`), reporting at the file's own path; the pack on disk is not touched."""
    import shutil
    import tempfile

    found = loader.pack_of(target)
    if found is None or target.is_dir():
        raise NavigatorError(f"--stdin-filename {target}: give the path of a file of a pathway "
                             "pack (a folder with a directory/ folder).")
    root = found.resolve()
    with tempfile.TemporaryDirectory(prefix="ms-navigator-stdin-") as tmp:
        copy = Path(tmp) / "pack"
        shutil.copytree(root, copy)
        inside = copy / target.resolve().relative_to(root)
        inside.write_bytes(data)
        report = run([inside], today, config, max_states)
    here = packfiles.display_path(copy) + os.sep
    there = packfiles.display_path(root / "x")[:-1]  # the pack folder as shown, with its separator

    def back(p: Problem) -> Problem:
        return replace(p, path=p.path.replace(here, there, 1), message=p.message.replace(here, there))

    report.problems = [back(p) for p in report.problems]
    report.suppressed = [replace(s, problem=back(s.problem)) for s in report.suppressed]
    report.coverage = [replace(c, pack=packfiles.display_path(root)) for c in report.coverage]
    return report


def _pack_lines(root: Path | None) -> dict[str, list[str] | None]:
    """Return the lines of every file of a pack (its scenarios too), by the path shown, for
    its inline suppressions: a file without `ms-navigator:` in it has none, and is given as
    no lines (splitting and searching every line of a large pack took most of a second)."""
    folder = root or loader.shipped_pack_dir()
    if not folder.is_dir():
        return {}
    shared, pathways = packfiles.pack_files(folder)
    scenario_files = sorted((folder / "scenarios").glob("*.yaml"))
    return {shown: _lines(shown, only_with=suppressions.MARK) for shown in
            (packfiles.display_path(p) for p in [*shared, *pathways, *scenario_files])}


def _lines(path: str, only_with: str = "") -> list[str] | None:
    """Return a file's lines to find where problems end (None when it cannot be read as text);
    with `only_with`, no lines for a file whose text does not hold it."""
    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > yamlread.MAX_BYTES:
            return None
        text = file.read_text(encoding="utf-8")
        return text.splitlines() if only_with in text else []
    except (OSError, UnicodeDecodeError):
        return None


def _about(problems: list[Problem], shown: set[str]) -> list[Problem]:
    """Return the problems `lint FILE` reports: those in the files given, every cross-file
    problem wherever it is, and, when the whole-pack checks could not run, every error that
    stopped them (the run must fail, and say why)."""
    blocked = any(p.rule == ruleids.PACK_NOT_CHECKED for p in problems)
    return [p for p in problems
            if p.path in shown or (p.rule in RULES and (RULES[p.rule].cross_file
                                                        or RULES[p.rule].mandatory))
            or (blocked and p.level is Level.ERROR)]
