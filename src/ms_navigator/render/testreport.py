"""The `ms-navigator test` report: text (one line a scenario, a diff for each failure, a closing
count), JSON, JUnit XML for CI test views, and GitHub annotations at each failure's line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from ms_navigator.problems import Level, Problem
from ms_navigator.render import ci
from ms_navigator.scenarios import Result


def failure_lines(result: Result) -> list[str]:
    """Return the lines that show a failed scenario: given answers, each unmet expectation at its
    file:line, and what the plan holds."""
    given = ", ".join(f"{fact}={value}" for fact, value in result.scenario.given.items())
    lines = [f"FAIL {result.path}: {result.scenario.id}", f"     given:  {given or '(nothing)'}"]
    lines += [f"   - {result.path}:{f.line}:{f.column}: {f.message}" for f in result.failures]
    if result.plan is not None:
        lines.append(f"   + plan steps:    {', '.join(result.plan.step_ids()) or '(none)'}")
        lines.append(f"   + plan services: {', '.join(result.plan.service_ids()) or '(none)'}")
    return lines


def _counts(results: Sequence[Result], problems: Sequence[Problem]) -> tuple[int, int]:
    """Return (passed, failed): a file that cannot be used counts as one failure."""
    passed = sum(r.passed for r in results)
    return passed, len(results) - passed + len({p.path for p in problems})


def render(results: Sequence[Result], problems: Sequence[Problem]) -> str:
    """Return the report. Files that cannot be loaded count as failures, with their problems."""
    lines = [f"PASS {r.path}: {r.scenario.id}" for r in results if r.passed]
    for result in results:
        if not result.passed:
            lines.extend(failure_lines(result))
    lines += [f"ERROR {p}" for p in problems]
    passed, failed_ = _counts(results, problems)
    lines.append(f"{passed} passed, {failed_} failed")
    return "\n".join(lines) + "\n"


def as_json(results: Sequence[Result], problems: Sequence[Problem]) -> str:
    """Return every scenario's result and every unusable file's problems as JSON."""
    passed, failed_ = _counts(results, problems)
    return json.dumps({
        "passed": passed, "failed": failed_,
        "results": [{"id": r.scenario.id, "title": r.scenario.title, "path": r.path,
                     "passed": r.passed,
                     "failures": [{"message": f.message, "line": f.line, "column": f.column}
                                  for f in r.failures],
                     "steps": r.plan.step_ids() if r.plan else [],
                     "services": r.plan.service_ids() if r.plan else []} for r in results],
        "errors": json.loads(ci.as_json(problems)),
    }, indent=2) + "\n"


def junit(results: Sequence[Result], problems: Sequence[Problem]) -> str:
    """Return JUnit XML: a test case a scenario (a failure for each unmet expectation), and an
    error case for each file that cannot be used."""
    passed, failed_ = _counts(results, problems)
    suite = ET.Element("testsuite", name="ms-navigator scenarios", tests=str(passed + failed_),
                       failures=str(sum(not r.passed for r in results)),
                       errors=str(failed_ - sum(not r.passed for r in results)), skipped="0")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=r.path, name=r.scenario.id,
                             file=r.path, line=str(r.failures[0].line if r.failures else 1))
        if r.failures:
            failure = ET.SubElement(case, "failure", message=r.failures[0].message)
            failure.text = "\n".join(failure_lines(r))
    for path in sorted({p.path for p in problems}):
        case = ET.SubElement(suite, "testcase", classname=path, name=path, file=path)
        mine = [p for p in problems if p.path == path]
        error = ET.SubElement(case, "error", message=mine[0].message)
        error.text = "\n".join(map(str, mine))
    root = ET.Element("testsuites", tests=suite.get("tests", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def github(results: Sequence[Result], problems: Sequence[Problem]) -> str:
    """Return a GitHub annotation at the line of each unmet expectation and of each problem,
    then the closing count."""
    failures = [Problem(r.path, f.line, f.column, f"scenario {r.scenario.id}",
                        Level.ERROR, f.message) for r in results for f in r.failures]
    passed, failed_ = _counts(results, problems)
    return ci.github(sorted([*failures, *problems])) + f"{passed} passed, {failed_} failed\n"


FORMATS: dict[str, Callable[[Sequence[Result], Sequence[Problem]], str]] = {
    "text": render, "json": as_json, "junit": junit, "github": github,
}


def failed(results: Sequence[Result], problems: Sequence[Problem]) -> bool:
    """Return True when the run must fail: a scenario failed or a file could not be used."""
    return bool(problems) or any(not r.passed for r in results)
