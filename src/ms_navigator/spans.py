"""Where the text a problem points at ends: the YAML token that starts at its line and column.

Problems are located at the start of a key or a value; CI annotations and SARIF regions also
want the end, to underline the whole id or value rather than one character. The end is read
off the line itself: a quoted scalar ends at its closing quote, a flow list or mapping at its
closing bracket, a plain scalar before a comment, a `: ` (a key), or, inside brackets, a comma.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from ms_navigator.problems import Problem

_CLOSE = {"[": "]", "{": "}"}


def token_end(line: str, column: int) -> int:
    """Return the column just after the token that starts at `column` (1-based) of `line`;
    `column` itself when there is no token there."""
    i = column - 1
    if not 0 <= i < len(line) or line[i].isspace():
        return column
    first = line[i]
    if first in "\"'":
        j = i + 1
        while j < len(line):
            if line[j] == first and not (first == '"' and line[j - 1] == "\\"):
                if first == "'" and line[j + 1:j + 2] == "'":  # '' is a quote inside '...'
                    j += 2
                    continue
                return j + 2
            j += 1
        return len(line.rstrip()) + 1
    if first in _CLOSE:
        depth, j = 0, i
        while j < len(line):
            if line[j] in _CLOSE:
                depth += 1
            elif line[j] in _CLOSE.values():
                depth -= 1
                if depth == 0:
                    return j + 2
            j += 1
        return len(line.rstrip()) + 1
    in_flow = sum(c in _CLOSE for c in line[:i]) > sum(c in _CLOSE.values() for c in line[:i])
    j = i
    while j < len(line):
        here, after = line[j], line[j + 1:j + 2]
        if (here == ":" and after in ("", " ")) or (here == "#" and line[j - 1] == " "):
            break
        if in_flow and here in ",]}":
            break
        j += 1
    return i + len(line[i:j].rstrip()) + 1


def with_ends(problems: Iterable[Problem], read: Callable[[str], list[str] | None]) -> list[Problem]:
    """Return the problems with their ends set, reading each file's lines once with `read`
    (None when it cannot be read: those problems keep no end)."""
    lines: dict[str, list[str] | None] = {}
    found = []
    for problem in problems:
        if problem.line > 0 and problem.column > 0 and not problem.end_line:
            if problem.path not in lines:
                lines[problem.path] = read(problem.path)
            text = lines[problem.path]
            if text is not None and problem.line <= len(text):
                end = token_end(text[problem.line - 1], problem.column)
                if end > problem.column:
                    problem = replace(problem, end_line=problem.line, end_column=end)
        found.append(problem)
    return found
