"""Rule ids are constants of the rule registry: code names a rule only through `ruleids`, and
every id there is a documented rule of `rules.RULES` (so no problem is ever reported under an
id that `lint --list-rules` and docs/rules.md do not know)."""

from __future__ import annotations

import ast
from pathlib import Path

import ms_navigator
from ms_navigator import ruleids
from ms_navigator.rules import RULES

SRC = Path(ms_navigator.__file__).resolve().parent


def _not_ids(tree: ast.AST) -> set[int]:
    """Return the literals that cannot be a rule id: docstrings, and attribute or key names
    (`getattr(event, "tag")`, `ctx.get("tag")`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Name) and node.func.id == "getattr")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "get")):
            found.update(id(arg) for arg in node.args)
    return found


def rule_literals(path: Path) -> list[str]:
    """Return where a file names a rule by a string literal, or builds an id with an f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _not_ids(tree)
    heads = [r[:r.index("-") + 1] for r in RULES if "-" in r]
    prefixes = {h for h in heads if heads.count(h) > 1}  # families: unknown-, table-, ...
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and node.value in RULES:
            found.append(f"{path.name}:{node.lineno}: '{node.value}'")
        elif isinstance(node, ast.JoinedStr) and node.values \
                and isinstance(node.values[0], ast.Constant) and node.values[0].value in prefixes:
            found.append(f"{path.name}:{node.lineno}: an id built by an f-string")
    return found


def test_the_registry_and_the_constants_are_the_same_ids() -> None:
    assert set(RULES) == ruleids.ALL
    assert len(ruleids.ALL) >= 30


def test_no_code_names_a_rule_by_a_string_literal() -> None:
    found = [hit for path in sorted(SRC.rglob("*.py")) if path.name != "ruleids.py"
             for hit in rule_literals(path)]
    assert found == []


def test_the_check_finds_literals_and_built_ids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Doc: unknown-fact."""\n'
                      'A = ("unknown-fact", f"unknown-{1}", getattr(object, "tag", None))\n')
    assert rule_literals(sample) == ["sample.py:2: 'unknown-fact'",
                                     "sample.py:2: an id built by an f-string"]
