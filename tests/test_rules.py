"""Each lint rule fires at the right file:line on a broken copy of the pack, and not on the shipped one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ms_navigator import lint, rules
from ms_navigator.problems import Level
from tests.helpers import edit, line_of, tiny_pack

TODAY = date(2026, 11, 23)


def _found(pack_dir: Path, rule: str) -> list[tuple[str, int]]:
    return [(Path(p.path).name, p.line) for p in lint.lint_pack(pack_dir, TODAY) if p.rule == rule]


def test_shipped_pack_lints_clean() -> None:
    assert lint.lint_pack(None, TODAY) == []


def test_unknown_table_and_column(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    pathway = root / "visit.yaml"
    edit(pathway, "table: support", "table: suport")
    table = root / "directory" / "eligibility.yaml"
    edit(table, "cells: {not_in_nrm: true}", "cells: {not_in_nrm: true, in_nr: false}")
    assert _found(root, "unknown-table") == [("visit.yaml", line_of(pathway, "table: suport"))]
    assert _found(root, "unknown-column") == [("eligibility.yaml", line_of(table, "in_nr:"))]


def test_registry_get_and_unknown_id() -> None:
    assert rules.get("dead-end").level is Level.ERROR
    with pytest.raises(ValueError, match="no lint rule 'nope'"):
        rules.get("nope")


@pytest.mark.parametrize("rule", list(rules.RULES.values()), ids=list(rules.RULES))
def test_every_rule_is_documented_with_pass_and_fail(rule: rules.Rule) -> None:
    assert rule.id == rule.id.lower() and " " not in rule.id
    assert "FAIL:" in rule.doc and "PASS:" in rule.doc and "Fix:" in rule.doc


def test_the_tiny_pack_lints_clean(tmp_path: Path) -> None:
    assert lint.lint_pack(tiny_pack(tmp_path), TODAY) == []


def test_unreachable_node(tmp_path: Path) -> None:
    pack = tiny_pack(tmp_path)
    target = pack / "visit.yaml"
    edit(target, "  - id: done\n", "  - id: i_orphan\n    type: info\n    title: Old\n"
         "    text: Old advice\n    source: nowhere\n    next: done\n\n  - id: done\n")
    assert _found(pack, "unreachable-node") == [("visit.yaml", line_of(target, "i_orphan"))]


def _looped(tmp_path: Path, back_to: str) -> tuple[Path, Path]:
    """Return the tiny pack with s_child leading to a new step s_loop that goes to `back_to`."""
    pack = tiny_pack(tmp_path)
    target = pack / "visit.yaml"
    edit(target, "    steps: [safeguarding_children, refer_nrm]\n    source: test\n    next: q_status\n",
         "    steps: [safeguarding_children, refer_nrm]\n    source: test\n    next: s_loop\n\n  - id: s_loop\n"
         f"    type: step\n    steps: [refer]\n    source: test\n    next: {back_to}\n")
    return pack, target


def test_cycle_no_exit_and_dead_end(tmp_path: Path) -> None:
    # s_child -> s_loop -> s_child: no way out of the loop.
    pack, target = _looped(tmp_path, back_to="s_child")
    loop = sorted(_found(pack, "cycle-no-exit"))
    assert loop == sorted([("visit.yaml", line_of(target, "id: s_child")),
                           ("visit.yaml", line_of(target, "id: s_loop"))])
    # q_age still has a way out (the adult route); nothing leads only into the loop.
    assert _found(pack, "dead-end") == []


def test_dead_end_before_a_closed_loop(tmp_path: Path) -> None:
    pack, target = _looped(tmp_path, back_to="s_loop")
    assert _found(pack, "dead-end") == [("visit.yaml", line_of(target, "id: s_child"))]
    assert _found(pack, "cycle-no-exit") == [("visit.yaml", line_of(target, "id: s_loop"))]


def _visit_edited(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    """Return a copy of the small test pack with one edit to its pathway, and that file."""
    pack = tiny_pack(tmp_path)
    edit(pack / "visit.yaml", old, new)
    return pack, pack / "visit.yaml"


def test_option_coverage(tmp_path: Path) -> None:
    pack, target = _visit_edited(tmp_path, "      - {value: unsure, next: s_child}\n", "")
    assert _found(pack, "option-coverage") == [("visit.yaml", line_of(target, "{value: \"yes\", next: s_child}"))]


def test_branch_without_otherwise(tmp_path: Path) -> None:
    pack = tiny_pack(tmp_path)
    target = pack / "visit.yaml"
    edit(target, "      - {value: \"no\", next: q_status}\n", "      - {value: \"no\", next: b_age}\n")
    edit(target, "  - id: done\n", "  - id: b_age\n    type: branch\n    source: test\n"
         "    routes:\n      - when: {fact: under_18, in: [\"yes\"]}\n        next: s_child\n"
         "      - when: {fact: under_18, in: [\"no\"]}\n        next: q_status\n\n  - id: done\n")
    [problem] = [p for p in lint.lint_pack(pack, TODAY) if p.rule == "branch-no-otherwise"]
    assert problem.line == line_of(target, '- when: {fact: under_18, in: ["yes"]}')
    assert "under_18 = unsure" in problem.message


def test_review_date_past_and_contact_stale(tmp_path: Path) -> None:
    root, target = _visit_edited(tmp_path, "review_date: 2027-12-31", "review_date: 2026-01-31")
    assert _found(root, "review-date-past") == [("visit.yaml", line_of(target, "review_date"))]
    contacts = root / "directory" / "contacts.yaml"
    edit(contacts, "    verified: true\n    last_verified: 2026-11-01\n", "    verified: true\n")
    edit(contacts, "last_verified: 2026-11-01", "last_verified: 2025-01-01")
    assert _found(root, "contact-stale") == [
        ("contacts.yaml", line_of(contacts, "verified: true")),
        ("contacts.yaml", line_of(contacts, "2025-01-01"))]


def test_empty_text(tmp_path: Path) -> None:
    root, target = _visit_edited(tmp_path, "    source: test\n", "    source: \"   \"\n")
    assert _found(root, "empty-text") == [("visit.yaml", line_of(target, 'source: "   "'))]


def test_unused_item(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "    steps: [refer]\n", "    steps: [call_999]\n")
    steps = root / "directory" / "steps.yaml"
    assert _found(root, "unused-item") == [("steps.yaml", line_of(steps, "- id: refer"))]


def test_rules_never_fire_twice_for_one_place() -> None:
    problems = lint.lint_pack(None, TODAY)
    assert len(problems) == len({(p.path, p.line, p.column, p.rule) for p in problems})


def test_docs_rules_md_is_up_to_date() -> None:
    from ms_navigator.rules import docs

    shipped = (Path(__file__).parents[1] / "docs" / "rules.md").read_text()
    assert shipped == docs.markdown(), (
        "docs/rules.md is out of date: python -m ms_navigator.rules.docs > docs/rules.md")


def test_list_rules_names_every_rule(cli) -> None:
    out = cli("lint", "--list-rules").stdout
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == list(rules.RULES)
    assert "invariant-broken         error    A safety invariant" in out
