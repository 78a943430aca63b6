"""A policy lead's checks of a pack: `lint`, `test`, `impact` and `schema`."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from ms_navigator import loader
from ms_navigator.errors import NavigatorError
from ms_navigator.problems import Level


def lint(paths: list[Path], fmt: str, strict: bool, list_rules: bool,
         today: str | None = None) -> int:
    """Lint packs or files and print every problem; 1 on errors (or on warnings with --strict)."""
    from ms_navigator import lint as linter
    from ms_navigator.render import ci

    if list_rules:
        from ms_navigator.rules import RULES

        sys.stdout.write("".join(f"{r.id:<24} {r.level.value:<8} {r.summary}\n"
                                 for r in RULES.values()))
        return 0
    report = linter.run(paths, linter.as_of(today))
    problems = report.problems
    sys.stdout.write(ci.FORMATS[fmt](problems))
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = sum(p.level is Level.WARNING for p in problems)
    if fmt == "text":
        notes = len(problems) - errors - warnings
        sys.stderr.write(f"{errors} error(s), {warnings} warning(s)"
                         + (f", {notes} note(s)" if notes else "") + ".\n")
        for cover in report.coverage:
            sys.stderr.write(f"{cover.pack}: invariants checked on every path, {cover.paths:,} "
                             f"paths through {cover.states:,} distinct states.\n")
    return 1 if errors or (strict and warnings) else 0


def schema(kind: str, write: Path | None) -> int:
    """Print the JSON Schema of a kind of file, or write every schema into a folder."""
    from ms_navigator import schemas

    if write is not None:
        for path in schemas.write_all(write):
            sys.stderr.write(f"wrote {path}\n")
        return 0
    sys.stdout.write(schemas.json_schema(kind))
    return 0


def test(files: list[Path], pack_dir: Path | None, fmt: str = "text") -> int:
    """Run scenario files and print a test-runner report; 1 if any scenario failed."""
    from ms_navigator import scenarios
    from ms_navigator.render import testreport

    results, problems = scenarios.run_files(files, pack_dir)
    sys.stdout.write(testreport.FORMATS[fmt](results, problems))
    return 1 if testreport.failed(results, problems) else 0


def impact(paths: list[Path], git_ref: str | None, fmt: str = "text",
           fail_on: str | None = None) -> int:
    """Print which answer combinations get different steps or services after a change; 1
    with `fail_on` "safety" when an outcome gains or loses a contract step, "any" on any change."""
    from ms_navigator import impact as impact_

    if git_ref is None and len(paths) != 2:
        raise NavigatorError("give OLD_DIR and NEW_DIR, or --git-ref REF [NEW_DIR].")
    if git_ref is not None and len(paths) > 1:
        raise NavigatorError("with --git-ref give at most one folder: the new pack.")
    if git_ref is None:
        old, new = (loader.load_pack_or_raise(p) for p in paths)
        report = impact_.compare(old, new)
    else:
        new_dir = paths[0] if paths else Path("pathways")
        if not new_dir.is_dir():
            raise NavigatorError(f"no pack folder '{new_dir}': give the pack folder to compare.")
        with tempfile.TemporaryDirectory(prefix="ms-navigator-impact-") as tmp:
            old = loader.load_pack_or_raise(impact_.export_ref(git_ref, new_dir, Path(tmp)))
        report = impact_.compare(old, loader.load_pack_or_raise(new_dir))
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(report.markdown())
    else:
        sys.stdout.write(report.render())
    failing = {"safety": report.safety, "any": report.changes}.get(fail_on or "", ())
    return 1 if failing else 0
