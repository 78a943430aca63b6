"""A policy lead's checks of a pack: `lint`, `test`, `impact` and `schema`."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ms_navigator import explore, loader, ruleids
from ms_navigator.errors import NavigatorError
from ms_navigator.problems import Level

if TYPE_CHECKING:
    from ms_navigator import lint as lint_


def lint(paths: list[Path], fmt: str, strict: bool, list_rules: bool,
         today: str | None = None, config: Path | None = None,
         fail_severity: str | None = None, output: Path | None = None, quiet: bool = False,
         stdin_filename: Path | None = None, max_states: str | None = None) -> int:
    """Lint packs or files and print (or write to `output`) every problem; 1 when a problem is
    at or above the failing level: errors, or warnings too with --strict, or --fail-severity,
    or the configuration's `fail-severity`."""
    from ms_navigator import lint as linter
    from ms_navigator import lintconfig
    from ms_navigator.render import ci

    if list_rules:
        return _list_rules(fmt)
    settings = lintconfig.load(config if config is not None else lintconfig.find())
    when = linter.as_of(today)
    limit = explore.max_states(max_states)
    if any(str(p) == "-" for p in paths):
        if paths != [Path("-")] or stdin_filename is None:
            raise NavigatorError("to lint stdin give '-' alone, with --stdin-filename PATH "
                                 "(the pack file it stands for).")
        report = linter.run_stdin(stdin_filename, _read_stdin(), when, settings, limit)
    else:
        report = linter.run(paths, when, settings, limit)
    problems = report.problems
    text = (ci.sarif(problems, settings.help_uri, report.suppressed,
                     [c.as_dict() for c in report.coverage]) if fmt == "sarif"
            else ci.FORMATS[fmt](problems))
    if output is not None:
        _write_report(output, text)
    else:
        sys.stdout.write(text)
    threshold = Level(fail_severity) if fail_severity else (
        Level.WARNING if strict else settings.fail_severity or Level.ERROR)
    if not quiet:
        _summary(report, fmt, output)
        _say_which_pack(paths)
    if any(p.rule == ruleids.FILE_REFUSED for p in problems) or any(
            str(path) != "-" and not path.exists() for path in paths):
        return 2  # a missing PATH, a link out of the pack, a FIFO, a device: bad input
    return 1 if any(_ORDER[p.level] >= _ORDER[threshold] for p in problems) else 0


_ORDER = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


def _say_which_pack(paths: list[Path]) -> None:
    """With no path, the shipped pack is checked: say so when the current folder has its own
    `pathways/` pack, which the user most likely meant."""
    here = Path("pathways")
    if not paths and loader.pack_of(here) == here \
            and here.resolve() != loader.shipped_pack_dir().resolve():
        sys.stderr.write("Checked the pathways that ship with ms-navigator, not ./pathways: "
                         "name the folder to check it (ms-navigator lint pathways/).\n")


def _list_rules(fmt: str) -> int:
    from ms_navigator.rules import RULES

    if fmt == "json":
        sys.stdout.write(json.dumps([{"id": r.id, "severity": r.level.value, "summary": r.summary,
                                      "mandatory": r.mandatory, "cross_file": r.cross_file}
                                     for r in RULES.values()], indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{r.id:<24} {r.level.value:<8} {r.summary}\n"
                                 for r in RULES.values()))
    return 0


def _read_stdin() -> bytes:
    """Read at most one byte more than a pack file may hold (the reader refuses the rest)."""
    from ms_navigator import yamlread

    try:
        return sys.stdin.buffer.read(yamlread.MAX_BYTES + 1)
    except (OSError, ValueError) as err:
        raise NavigatorError(f"cannot read stdin ({err}).") from None


def _write_report(output: Path, text: str) -> None:
    from ms_navigator.privatefiles import write_private

    if output.exists() and not output.is_file():
        raise NavigatorError(f"-o {output} is not a regular file; give a file name.")
    if not output.parent.is_dir():
        raise NavigatorError(f"-o {output}: the folder {output.parent} does not exist.")
    try:
        write_private(output, text)
    except OSError as err:
        raise NavigatorError(f"cannot write the report to {output} ({err.strerror or err}).") from None


def _summary(report: lint_.Report, fmt: str, output: Path | None) -> None:
    """Write the counts, the search's coverage and every inline suppression on stderr (for
    text, or whenever the report went to a file)."""
    if fmt != "text" and output is None:
        return
    problems = report.problems
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = sum(p.level is Level.WARNING for p in problems)
    notes = len(problems) - errors - warnings
    sys.stderr.write(f"{errors} error(s), {warnings} warning(s)"
                     + (f", {notes} note(s)" if notes else "") + ".\n")
    for cover in report.coverage:
        sys.stderr.write(f"{cover.pack}: invariants checked on every path, {cover.paths:,} "
                         f"paths through {cover.states:,} distinct states.\n")
        if cover.lengths is not None:
            sys.stderr.write(f"{cover.pack}: {cover.lengths.describe()}.\n")
        if cover.lengths_skipped is not None:
            sys.stderr.write(f"{cover.pack}: plan lengths not counted: {cover.lengths_skipped}; "
                             "raise --max-states to count them.\n")
    if report.suppressed:
        sys.stderr.write(f"{len(report.suppressed)} problem(s) silenced inline:\n")
        sys.stderr.write("".join(f"  {s}\n" for s in report.suppressed))


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
    _say_which_pack(files)
    return 1 if testreport.failed(results, problems) else 0


def impact(paths: list[Path], git_ref: str | None, fmt: str = "text",
           max_states: str | None = None, fail_on: str | None = None) -> int:
    """Print which answer combinations get different steps or services after a change; 1
    with `fail_on` "safety" when an outcome gains or loses a contract step, "any" on any change."""
    from ms_navigator import impact as impact_

    limit = explore.max_states(max_states)
    if git_ref is None and len(paths) != 2:
        raise NavigatorError("give OLD_DIR and NEW_DIR, or --git-ref REF [NEW_DIR].")
    if git_ref is not None and len(paths) > 1:
        raise NavigatorError("with --git-ref give at most one folder: the new pack.")
    if git_ref is None:
        old, new = (loader.load_pack_or_raise(p) for p in paths)
        report = impact_.compare(old, new, limit)
    else:
        new_dir = paths[0] if paths else Path("pathways")
        if not new_dir.is_dir():
            raise NavigatorError(f"no pack folder '{new_dir}': give the pack folder to compare.")
        with tempfile.TemporaryDirectory(prefix="ms-navigator-impact-") as tmp:
            old = loader.load_pack_or_raise(impact_.export_ref(git_ref, new_dir, Path(tmp)))
        report = impact_.compare(old, loader.load_pack_or_raise(new_dir), limit)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(report.markdown())
    else:
        sys.stdout.write(report.render())
    failing = {"safety": report.safety, "any": report.changes}.get(fail_on or "", ())
    return 1 if failing else 0
