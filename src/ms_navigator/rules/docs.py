"""docs/rules.md, generated from the rules' docstrings so that the two can never disagree.

Regenerate with `python -m ms_navigator.rules.docs > docs/rules.md`; a test fails when the
file is out of date.
"""

from __future__ import annotations

import sys

from ms_navigator.rules import RULES
from ms_navigator.rules.base import Rule

_HEADER = """\
# Lint rules

`ms-navigator lint` reports each problem as `FILE:LINE:COL: SEVERITY RULE-ID message`.
Rule ids are stable: CI scripts and reviewers may rely on them. Errors fail `lint` (exit 1);
warnings fail it only with `--strict`. `ms-navigator lint --list-rules` prints this list.
Rules can be disabled or re-levelled in `.ms-navigator.yaml`, and silenced on a line with
`# ms-navigator: disable=RULE-ID reason`; safety rules cannot (see [ci.md](ci.md#configuration)).

This file is generated from the rules' docstrings (`src/ms_navigator/rules/`):
regenerate it with `python -m ms_navigator.rules.docs > docs/rules.md`.

| id | severity | finds |
|---|---|---|
"""


def section(rule: Rule) -> str:
    """Return the Markdown documentation of one rule (its section of docs/rules.md)."""
    lines = [f"## {rule.id}", "", f"Severity: **{rule.level.value}**." + _traits(rule), ""]
    block: list[str] = []
    for line in rule.doc.splitlines():
        if line.rstrip() in ("FAIL:", "PASS:"):
            lines.extend(_flush(block))
            lines.append(f"{line.rstrip()[:-1]}:")
            lines.append("")
        elif line.startswith("    ") or (block and not line.strip()):
            block.append(line[4:])
        else:
            lines.extend(_flush(block))
            lines.append(line)
    lines.extend(_flush(block))
    return "\n".join(lines).rstrip() + "\n"


def _traits(rule: Rule) -> str:
    """Return what a reader of the rule must know beyond its severity."""
    traits = []
    if rule.mandatory:
        traits.append(" A safety rule: configuration and inline comments cannot disable or "
                      "re-level it.")
    if rule.cross_file:
        traits.append(" Cross-file: `lint FILE` reports it wherever it is located.")
    return "".join(traits)


def _flush(block: list[str]) -> list[str]:
    if not block:
        return []
    body = "\n".join(block).rstrip()
    block.clear()
    return ["```yaml", body, "```", ""]


def markdown() -> str:
    """Return docs/rules.md: a summary table, then one section per rule."""
    table = "".join(f"| [`{r.id}`](#{r.id}) | {r.level.value} | {r.summary} |\n"
                    for r in RULES.values())
    return _HEADER + table + "\n" + "\n".join(section(r) for r in RULES.values())


if __name__ == "__main__":
    sys.stdout.write(markdown())
