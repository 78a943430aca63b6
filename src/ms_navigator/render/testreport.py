"""The `ms-navigator test` report: one line a scenario, a diff for each failure, a closing count."""

from __future__ import annotations

from collections.abc import Sequence

from ms_navigator.problems import Problem
from ms_navigator.scenarios import Result


def _failure(result: Result) -> list[str]:
    given = ", ".join(f"{fact}={value}" for fact, value in result.scenario.given.items())
    lines = [f"FAIL {result.path}: {result.scenario.id}", f"     given:  {given or '(nothing)'}"]
    lines += [f"   - {result.path}:{f.line}:{f.column}: {f.message}" for f in result.failures]
    if result.plan is not None:
        lines.append(f"   + plan steps:    {', '.join(result.plan.step_ids()) or '(none)'}")
        lines.append(f"   + plan services: {', '.join(result.plan.service_ids()) or '(none)'}")
    return lines


def render(results: Sequence[Result], problems: Sequence[Problem]) -> str:
    """Return the report. Files that cannot be loaded count as failures, with their problems."""
    lines = [f"PASS {r.path}: {r.scenario.id}" for r in results if r.passed]
    for result in results:
        if not result.passed:
            lines.extend(_failure(result))
    lines += [f"ERROR {p}" for p in problems]
    broken_files = len({p.path for p in problems})
    passed = sum(r.passed for r in results)
    failed = len(results) - passed + broken_files
    lines.append(f"{passed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def failed(results: Sequence[Result], problems: Sequence[Problem]) -> bool:
    """Return True when the run must fail: a scenario failed or a file could not be used."""
    return bool(problems) or any(not r.passed for r in results)
