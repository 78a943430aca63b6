"""Worked scenarios as data: given answers, the steps and services a plan must (or must not) hold.

Policy leads write these in YAML (`pathways/scenarios/*.yaml`); `ms-navigator test` and the
test suite run them, and trainers replay them with `ms-navigator walk`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, StrictStr

from ms_navigator import engine, loader, model, packfiles, plans
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
class Result:
    """The outcome of one scenario: every expectation that failed (empty when it passed)."""

    scenario: Scenario
    path: str
    failures: tuple[str, ...]
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
    """Load scenario files (folders are searched for *.yaml); return scenarios and problems.
    A file found in a folder must be inside it (a link out of the folder is refused)."""
    files: list[tuple[Path, Path | None]] = []
    for path in paths:
        files.extend([(f, path) for f in sorted(path.glob("*.yaml"))] if path.is_dir()
                     else [(path, None)])
    found: list[tuple[Scenario, str]] = []
    problems: list[Problem] = []
    for file, root in files:
        scenario, file_problems, _ = loader.validate_file(file, Scenario, root=root)
        problems.extend(file_problems)
        if scenario is not None:
            found.append((scenario, packfiles.display_path(file)))
    return found, problems


def run(pack: model.Pack, scenario: Scenario, path: str = "") -> Result:
    """Run a scenario through the engine and compare the plan with what it expects."""
    try:
        plan = plans.run_scripted(pack, scenario.start, scenario.given)
    except Exception as err:  # noqa: BLE001 - any failure to reach a plan is the scenario's result
        from ms_navigator.errors import NavigatorError

        if not isinstance(err, NavigatorError):
            raise
        return Result(scenario, path, (f"no plan: {err}",), None)
    steps, services = plan.step_ids(), plan.service_ids()
    want = scenario.expect
    failures = [f"expected step {s}, plan has: {', '.join(steps)}" for s in want.steps if s not in steps]
    failures += [f"step {s} must not be in the plan" for s in want.no_steps if s in steps]
    failures += [f"expected service {s}, plan has: {', '.join(services) or 'none'}"
                 for s in want.services if s not in services]
    failures += [f"service {s} must not be in the plan" for s in want.no_services if s in services]
    failures += [f"expected pathway {p}, visited: {', '.join(plan.pathways)}"
                 for p in want.pathways if p not in plan.pathways]
    if want.first_step and steps[:1] != [want.first_step]:
        failures.append(f"expected first step {want.first_step}, got {steps[:1] or 'none'}")
    return Result(scenario, path, tuple(failures), plan)


def _pack_for(path: Path) -> Path | None:
    """Return the pack a scenario file or folder belongs to (None: the shipped pack)."""
    folder = path if path.is_dir() else path.parent
    root = folder.parent if folder.name == "scenarios" else folder
    return root if (root / "directory").is_dir() else None


def run_files(paths: list[Path], pack_dir: Path | None = None) -> tuple[list[Result], list[Problem]]:
    """Load and run scenario files, each against the pack it sits in (or `pack_dir`).

    Return every result, and every problem with a file or a pack (never raising for bad input).
    """
    results: list[Result] = []
    problems: list[Problem] = []
    packs: dict[Path | None, model.Pack | None] = {}
    for path in paths or [shipped_dir()]:
        found, file_problems = load([path])
        problems.extend(file_problems)
        if not found:
            continue
        where = pack_dir or _pack_for(path)
        if where not in packs:
            loaded = loader.load_pack(where)
            packs[where] = loaded.pack
            problems.extend(loaded.errors)
        pack = packs[where]
        if pack is not None:
            results.extend(run(pack, scenario, shown) for scenario, shown in found)
    return results, problems
