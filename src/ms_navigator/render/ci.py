"""Problems as text for people and CI: text, json, github annotations and SARIF (all pure)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from ms_navigator.problems import Level, Problem
from ms_navigator.safeio import escape


def text(problems: Sequence[Problem]) -> str:
    """Return one problem a line: FILE:LINE:COL: SEVERITY RULE-ID message (CONTRACT section 1)."""
    return "".join(f"{p}\n" for p in problems)


def as_json(problems: Sequence[Problem]) -> str:
    """Return a JSON list of problem objects."""
    return json.dumps([{"path": p.path, "line": p.line, "column": p.column,
                        "severity": p.level.value, "rule": p.rule, "message": p.message}
                       for p in problems], indent=2) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    """Escape a value for a GitHub workflow command (its data, or a property); any other
    control character is written as an escape, so that no annotation can forge another."""
    value = escape(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


_GITHUB_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def github(problems: Sequence[Problem]) -> str:
    """Return GitHub Actions annotations (`::error file=...,line=...::message`)."""
    return "".join(f"::{_GITHUB_LEVEL[p.level]} file={_escape(p.path, True)},line={max(p.line, 1)},"
                   f"col={max(p.column, 1)},title={_escape(p.rule, True)}::{_escape(p.message)}\n"
                   for p in problems)


def sarif(problems: Sequence[Problem]) -> str:
    """Return a SARIF 2.1.0 log, for GitHub code scanning and other tools."""
    from ms_navigator import __version__
    from ms_navigator.rules import RULES

    used = sorted({p.rule for p in problems})
    results = [{
        "ruleId": p.rule,
        "level": _SARIF_LEVEL[p.level],
        "message": {"text": p.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": p.path},
            "region": {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)},
        }}],
    } for p in problems]
    rules = [{"id": r, "shortDescription": {"text": RULES[r].summary if r in RULES else r},
              "helpUri": f"docs/rules.md#{r}"} for r in used]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "ms-navigator", "version": __version__,
                                      "rules": rules}},
                  "results": results}],
    }
    return json.dumps(log, indent=2) + "\n"


FORMATS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": text, "json": as_json, "github": github, "sarif": sarif,
}
