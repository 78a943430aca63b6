"""A pytest plugin (registered under `pytest11`): `pytest pathways/scenarios` runs each worked
scenario as a test, so selection (`-k`), JUnit XML (`--junitxml`), `-x` and the rest of pytest
come for free.

A file is collected when it is a `*.yaml` or `*.yml` in a `scenarios/` folder of a pathway pack
(a folder with a `directory/` folder beside it); anything else is left to pytest. Nothing heavy
is imported until such a file is collected, so other test runs are not slowed, and a project's
own tests (outside any pack) are never collected twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ms_navigator import model, scenarios


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect the scenario files of a pack; leave every other file to pytest."""
    folder = file_path.parent
    if file_path.suffix in (".yaml", ".yml") and folder.name == "scenarios" \
            and (folder.parent / "directory").is_dir():
        collector: pytest.Collector = ScenarioCollector.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioError(Exception):
    """A scenario failed, or its file or its pack could not be used; the lines say why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


_PACKS: dict[Path, tuple[model.Pack | None, list[str]]] = {}
"""Each pack, loaded once however many of its scenarios run."""


def _pack(root: Path) -> tuple[model.Pack | None, list[str]]:
    if root not in _PACKS:
        from ms_navigator import loader

        loaded = loader.load_pack(root)
        _PACKS[root] = (loaded.pack, [str(p) for p in loaded.errors])
    return _PACKS[root]


class ScenarioCollector(pytest.File):
    """One scenario file: a test item for its scenario, or a failing item if it cannot be read."""

    def collect(self) -> Any:
        from ms_navigator import scenarios

        found, problems = scenarios.load_files([self.path])
        if problems:
            yield ScenarioItem.from_parent(self, name=self.path.stem, file=None,
                                           problems=[str(p) for p in problems])
        for file in found:
            yield ScenarioItem.from_parent(self, name=file.scenario.id, file=file, problems=[])


class ScenarioItem(pytest.Item):
    """A scenario run through the engine against the pack its file sits in."""

    def __init__(self, *, file: scenarios.ScenarioFile | None, problems: list[str],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file = file
        self.problems = problems

    def runtest(self) -> None:
        from ms_navigator import scenarios
        from ms_navigator.render import testreport

        if self.file is None:
            raise ScenarioError(["the scenario file cannot be used:", *self.problems])
        pack, errors = _pack(self.path.parent.parent)
        if pack is None:
            raise ScenarioError(["the pack has errors (run 'ms-navigator lint'):", *errors])
        result = scenarios.run(pack, self.file.scenario, self.file.path, self.file.smap)
        if not result.passed:
            raise ScenarioError(testreport.failure_lines(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError):
            return "\n".join(excinfo.value.lines)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.name}"
