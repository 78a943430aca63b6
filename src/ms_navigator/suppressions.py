"""Inline suppression: `# ms-navigator: disable=RULE-ID[,RULE-ID] reason` in a pack file.

A comment at the end of a line silences the named rules' problems on that line; a comment on
a line of its own, those on the next line that holds more than a comment. The reason is
required, and every suppression used is reported in the run's summary, so that a reviewer sees
what was silenced and why. A comment without a reason, naming an unknown rule, or naming a
safety rule (`mandatory` in the registry) silences nothing and is itself a problem
(`suppression`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ms_navigator import ruleids
from ms_navigator.problems import Level, Problem

MARK = "ms-navigator:"
"""What every directive holds: a file without it has none."""
_DIRECTIVE = re.compile(r"(?:^|\s)#\s*" + re.escape(MARK)
                        + r"\s*disable=(?P<rules>\S*)(?:[ \t]+(?P<reason>.*\S))?\s*$")


@dataclass(frozen=True)
class Suppression:
    """A problem silenced inline, and the reason the file gives."""

    problem: Problem
    reason: str

    def __str__(self) -> str:
        return f"{self.problem.path}:{self.problem.line}: {self.problem.rule} ({self.reason})"


def directives(path: str, lines: list[str]) -> tuple[dict[tuple[int, str], str], list[Problem]]:
    """Return the valid suppressions of a file by (line, rule id) with their reasons, and a
    problem for each comment that cannot be used."""
    from ms_navigator.rules import RULES

    found: dict[tuple[int, str], str] = {}
    problems = []
    for number, line in enumerate(lines, 1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        col = match.start("rules") - len("disable=") + 1
        own_line = not line[:match.start()].strip()
        target = _next_content(lines, number) if own_line else number
        reason = (match.group("reason") or "").strip()
        for rule_id in filter(None, match.group("rules").split(",")):
            why = ("needs a reason after the rule ids" if not reason
                   else f"names an unknown rule '{rule_id}'" if rule_id not in RULES
                   else f"cannot silence '{rule_id}', a safety rule" if RULES[rule_id].mandatory
                   else "")
            if why:
                problems.append(Problem(path, number, col, ruleids.SUPPRESSION, Level.ERROR,
                                        f"this `ms-navigator: disable` comment {why}; it "
                                        "silences nothing."))
            elif target:
                found[(target, rule_id)] = reason
    return found, problems


def _next_content(lines: list[str], number: int) -> int:
    """Return the number of the first line after `number` holding more than a comment (0: none)."""
    for later in range(number, len(lines)):
        text = lines[later].strip()
        if text and not text.startswith("#"):
            return later + 1
    return 0


def apply(problems: Iterable[Problem], read: dict[str, list[str] | None],
          ) -> tuple[list[Problem], list[Suppression]]:
    """Return the problems left once the files' directives are applied (with a problem for
    each unusable directive), and the suppressions used. `read` holds each file's lines."""
    kept: list[Problem] = []
    used: list[Suppression] = []
    table: dict[str, dict[tuple[int, str], str]] = {}
    for path, lines in read.items():
        if lines is not None:
            table[path], bad = directives(path, lines)
            kept.extend(bad)
    for problem in problems:
        reason = table.get(problem.path, {}).get((problem.line, problem.rule))
        if reason is None:
            kept.append(problem)
        else:
            used.append(Suppression(problem, reason))
    return kept, used
