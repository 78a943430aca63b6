"""Problems as text for people and CI: text, json, github annotations and SARIF (all pure)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from typing import Protocol

from ms_navigator.problems import Level, Problem
from ms_navigator.safeio import escape


class Suppressed(Protocol):
    """A problem silenced inline, and why (suppressions.Suppression)."""

    @property
    def problem(self) -> Problem: ...

    @property
    def reason(self) -> str: ...


def text(problems: Sequence[Problem]) -> str:
    """Return one problem a line: FILE:LINE:COL: SEVERITY RULE-ID message (CONTRACT section 1)."""
    return "".join(f"{p}\n" for p in problems)


def as_json(problems: Sequence[Problem]) -> str:
    """Return a JSON list of problem objects (the end is 0 when it is not known)."""
    return json.dumps([{"path": p.path, "line": p.line, "column": p.column,
                        "end_line": p.end_line, "end_column": p.end_column,
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
    """Return GitHub Actions annotations (`::error file=...,line=...::message`), in a
    collapsible group per file; each underlines the problem's text where its end is known."""
    out = []
    for path, members in groupby(problems, key=lambda p: p.path):
        out.append(f"::group::{_escape(path)}\n")
        for p in members:
            line, col = max(p.line, 1), max(p.column, 1)
            end = (f",endLine={p.end_line},endColumn={p.end_column - 1}"
                   if p.end_line and p.end_column > col else "")
            out.append(f"::{_GITHUB_LEVEL[p.level]} file={_escape(p.path, True)},line={line},"
                       f"col={col}{end},title={_escape(p.rule, True)}::{_escape(p.message)}\n")
        out.append("::endgroup::\n")
    return "".join(out)


HELP_URI = "urn:ms-navigator:rule:"
"""Where SARIF's `helpUri` points when no `help-uri` is configured: SARIF requires an absolute
URI; a URN names the rule without assuming where its documentation is hosted or a file path
that exists only on one machine. The documentation itself travels in each rule's `help`."""


def _help_uri(rule_id: str, base: str | None) -> str:
    return f"{base}#{rule_id}" if base else f"{HELP_URI}{rule_id}"


def _region(p: Problem) -> dict[str, int]:
    region = {"startLine": max(p.line, 1), "startColumn": max(p.column, 1)}
    if p.end_line and p.end_column > region["startColumn"]:
        region |= {"endLine": p.end_line, "endColumn": p.end_column}
    return region


def sarif(problems: Sequence[Problem], help_uri: str | None = None,
          suppressed: Sequence[Suppressed] = (),
          coverage: Sequence[Mapping[str, object]] = ()) -> str:
    """Return a SARIF 2.1.0 log, for GitHub code scanning and other tools.

    Each rule carries its documentation (`help`, as text and Markdown) and a `helpUri`:
    `help_uri#RULE-ID` when a base is given (the rules page of a hosted copy of docs/rules.md),
    else a URN (see HELP_URI). Problems silenced inline are results with a suppression whose
    justification is the comment's reason. What the search of every path covered in each pack
    (paths, states, plan lengths) is the run's `properties.coverage`, for a dashboard to
    follow over time.
    """
    from ms_navigator import __version__
    from ms_navigator.rules import RULES
    from ms_navigator.rules.docs import section

    every = [*((p, None) for p in problems), *((s.problem, s.reason) for s in suppressed)]
    used = sorted({p.rule for p, _ in every})
    index = {rule: i for i, rule in enumerate(used)}
    results = []
    for p, reason in every:
        result: dict[str, object] = {
            "ruleId": p.rule,
            "ruleIndex": index[p.rule],
            "level": _SARIF_LEVEL[p.level],
            "message": {"text": p.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": p.path.replace("\\", "/")},
                "region": _region(p),
            }}],
        }
        if reason is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": reason}]
        results.append(result)
    rules = []
    for rule_id in used:
        rule = RULES.get(rule_id)
        entry: dict[str, object] = {"id": rule_id, "helpUri": _help_uri(rule_id, help_uri)}
        if rule is not None:
            entry |= {"shortDescription": {"text": rule.summary},
                      "fullDescription": {"text": " ".join(rule.doc.split())},
                      "help": {"text": rule.doc, "markdown": section(rule)},
                      "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
                      "properties": {"mandatory": rule.mandatory, "crossFile": rule.cross_file}}
        rules.append(entry)
    run: dict[str, object] = {"tool": {"driver": {"name": "ms-navigator", "version": __version__,
                                                  "rules": rules}},
                              "results": results}
    if coverage:
        run["properties"] = {"coverage": list(coverage)}
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(log, indent=2) + "\n"


FORMATS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": text, "json": as_json, "github": github, "sarif": sarif,
}
