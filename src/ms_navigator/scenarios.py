"""Worked scenarios as data: given answers, the steps and services a plan must (or must not) hold.

Policy leads write these in YAML (`pathways/scenarios/*.yaml`); `ms-navigator test` and the
test suite run them, and trainers replay them with `ms-navigator walk`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, StrictStr

from ms_navigator import engine, loader, model, packfiles, plans, yamlread
from ms_navigator.problems import Problem


class Expect(model.Strict):
    """What the plan must contain and must not contain."""

    steps: list[model.Id] = Field(default_factory=list)
    no_steps: list[model.Id] = Field(default_factory=list)
    services: list[model.Id] = Field(default_factory=list)
    no_services: list[model.Id] = Field(default_factory=list)
    first_step: model.Id | None = None
    pathways: list[model.Id] = Field(default_factory=list)


class Scenario(model.Strict):
    """A worked case: where it starts, the answers given, and what the plan must say."""

    id: model.Id
    title: model.Text
    description: model.Text
    source: model.Source
    start: model.Id | None = None
    given: dict[StrictStr, StrictStr]
    expect: Expect
    notes: dict[StrictStr, model.Text] = Field(
        default_factory=dict,
        description="Optional, for walk-throughs: narrative shown at the question that sets each fact.")
    ending: model.Text | None = Field(
        default=None, description="Optional, for walk-throughs: how the story ends, shown after the plan.")


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario as read from its file, with where each of its keys is."""

    scenario: Scenario
    path: str
    smap: yamlread.SourceMap

    def at(self, *loc: object) -> tuple[int, int]:
        """Return the line and column of a key below the scenario (the file's start if none)."""
        return self.smap.at(loc)


@dataclass(frozen=True)
class Failure:
    """An expectation that failed, and the line and column of the key that states it."""

    message: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Result:
    """The outcome of one scenario: every expectation that failed (empty when it passed)."""

    scenario: Scenario
    path: str
    failures: tuple[Failure, ...]
    plan: engine.Plan | None

    @property
    def passed(self) -> bool:
        return not self.failures


def shipped_dir() -> Path:
    return loader.shipped_pack_dir() / "scenarios"


def find(name: str) -> tuple[Scenario, str]:
    """Return a scenario by file path, or by id from the shipped scenarios.

    Raise PackError when the file is invalid and NavigatorError when nothing has that name.
    """
    from ms_navigator.errors import NavigatorError, PackError

    path = Path(name)
    looks_like_file = path.suffix in (".yaml", ".yml") or "/" in name or path.is_file()
    found, problems = load([path] if looks_like_file else [shipped_dir()])
    if looks_like_file and not path.is_file():
        raise NavigatorError(f"no scenario file {name}.")
    if problems and looks_like_file:
        raise PackError(problems)
    for scenario, where in found:
        if looks_like_file or scenario.id == name:
            return scenario, where
    known = ", ".join(sorted(s.id for s, _ in found))
    raise NavigatorError(f"there is no scenario '{name}'. Shipped scenarios: {known}.")


def load(paths: list[Path]) -> tuple[list[tuple[Scenario, str]], list[Problem]]:
    """Load scenario files (folders are searched for *.yaml); return scenarios and problems."""
    found, problems = load_files(paths)
    return [(f.scenario, f.path) for f in found], problems


def load_files(paths: list[Path]) -> tuple[list[ScenarioFile], list[Problem]]:
    """Load scenario files (folders are searched for *.yaml), keeping where each key is.
    A file found in a folder must be inside it (a link out of the folder is refused)."""
    files: list[tuple[Path, Path | None]] = []
    for path in paths:
        files.extend([(f, path) for f in sorted(path.glob("*.yaml"))] if path.is_dir()
                     else [(path, None)])
    found: list[ScenarioFile] = []
    problems: list[Problem] = []
    for file, root in files:
        scenario, file_problems, smap = loader.validate_file(file, Scenario, root=root)
        problems.extend(file_problems)
        if scenario is not None:
            found.append(ScenarioFile(scenario, packfiles.display_path(file), smap))
    return found, problems


Unknown = tuple[tuple[object, ...], str, str, list[str]]
"""Where in a scenario an unknown id is, what kind of id it is, the id, and the known ones."""


def unknown_ids(pack: model.Pack, scenario: Scenario) -> Iterator[Unknown]:
    """Yield every pathway, fact, value, step or service a scenario names that the pack lacks."""
    want = scenario.expect
    if scenario.start is not None and scenario.start not in pack.pathways:
        yield ("start",), "pathway", scenario.start, list(pack.pathways)
    for fact, value in scenario.given.items():
        if fact not in pack.facts:
            yield ("given", fact), "fact", fact, list(pack.facts)
        elif value not in pack.facts[fact].allowed():
            yield ("given", fact), f"value of {fact}", value, pack.facts[fact].allowed()
    for fact in scenario.notes:
        if fact not in pack.facts:
            yield ("notes", fact), "fact", fact, list(pack.facts)
    for key, what, known in (("steps", "step", pack.steps), ("no_steps", "step", pack.steps),
                             ("services", "service", pack.services),
                             ("no_services", "service", pack.services),
                             ("pathways", "pathway", pack.pathways)):
        for i, ref in enumerate(getattr(want, key)):
            if ref not in known:
                yield ("expect", key, i), what, ref, list(known)
    if want.first_step is not None and want.first_step not in pack.steps:
        yield ("expect", "first_step"), "step", want.first_step, list(pack.steps)


def run(pack: model.Pack, scenario: Scenario, path: str = "",
        smap: yamlread.SourceMap | None = None) -> Result:
    """Run a scenario through the engine and compare the plan with what it expects; each
    failure is placed at the key of the file that states it (when `smap` is given)."""
    where = smap or yamlread.SourceMap()

    def fail(message: str, *loc: object) -> Failure:
        return Failure(message, *where.at(loc))

    unknown = [fail(f"unknown {what} '{ref}': the pack has no such id", *loc)
               for loc, what, ref, _ in unknown_ids(pack, scenario)]
    if unknown:  # a misspelt id would pass or fail for the wrong reason
        return Result(scenario, path, tuple(unknown), None)
    try:
        plan = plans.run_scripted(pack, scenario.start, scenario.given)
    except Exception as err:  # noqa: BLE001 - any failure to reach a plan is the scenario's result
        from ms_navigator.errors import NavigatorError

        if not isinstance(err, NavigatorError):
            raise
        return Result(scenario, path, (fail(f"no plan: {err}", "given"),), None)
    steps, services = plan.step_ids(), plan.service_ids()
    want = scenario.expect
    failures = [fail(f"expected step {s}, plan has: {', '.join(steps)}", "expect", "steps", i)
                for i, s in enumerate(want.steps) if s not in steps]
    failures += [fail(f"step {s} must not be in the plan", "expect", "no_steps", i)
                 for i, s in enumerate(want.no_steps) if s in steps]
    failures += [fail(f"expected service {s}, plan has: {', '.join(services) or 'none'}",
                      "expect", "services", i)
                 for i, s in enumerate(want.services) if s not in services]
    failures += [fail(f"service {s} must not be in the plan", "expect", "no_services", i)
                 for i, s in enumerate(want.no_services) if s in services]
    failures += [fail(f"expected pathway {p}, visited: {', '.join(plan.pathways)}",
                      "expect", "pathways", i)
                 for i, p in enumerate(want.pathways) if p not in plan.pathways]
    if want.first_step and steps[:1] != [want.first_step]:
        failures.append(fail(f"expected first step {want.first_step}, got {steps[:1] or 'none'}",
                             "expect", "first_step"))
    return Result(scenario, path, tuple(failures), plan)


def _targets(paths: list[Path]) -> dict[Path | None, list[Path]]:
    """Return the scenario files to run, by the pack each runs against (None: the shipped pack).

    A scenario file or folder runs itself; a pack folder, or any other file of a pack (a
    pathway, a directory file), runs every scenario of that pack, since a change to it can
    change any of them. Each file is listed once.
    """
    targets: dict[Path | None, dict[Path, None]] = {}
    for path in paths or [shipped_dir()]:
        root = loader.pack_of(path)
        if root is not None and path.parent.name != "scenarios" and path.name != "scenarios":
            scenario_dir = root / "scenarios"
            files = sorted(scenario_dir.glob("*.yaml")) if scenario_dir.is_dir() else []
        else:
            files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        targets.setdefault(root, {}).update(dict.fromkeys(files))
    return {root: list(files) for root, files in targets.items()}


def run_files(paths: list[Path], pack_dir: Path | None = None) -> tuple[list[Result], list[Problem]]:
    """Load and run scenario files, each against the pack it sits in (or `pack_dir`).

    Return every result, and every problem with a file or a pack (never raising for bad input).
    """
    results: list[Result] = []
    problems: list[Problem] = []
    packs: dict[Path | None, model.Pack | None] = {}
    for root, files in _targets(paths).items():
        found, file_problems = load_files(files)
        problems.extend(file_problems)
        if not found:
            continue
        where = pack_dir or root
        if where not in packs:
            loaded = loader.load_pack(where)
            packs[where] = loaded.pack
            problems.extend(loaded.errors)
        pack = packs[where]
        if pack is not None:
            results.extend(run(pack, f.scenario, f.path, f.smap) for f in found)
    return results, problems
