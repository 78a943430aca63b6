"""Each lint rule fires at the right file:line on a broken copy of the pack, and not on the shipped one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ms_navigator import lint, rules
from ms_navigator.problems import Level

TODAY = date(2026, 11, 23)


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _found(pack_dir: Path, rule: str) -> list[tuple[str, int]]:
    return [(Path(p.path).name, p.line) for p in lint.lint_pack(pack_dir, TODAY) if p.rule == rule]


def test_shipped_pack_lints_clean() -> None:
    assert lint.lint_pack(None, TODAY) == []


def test_unknown_table_and_column(pack_copy: Path) -> None:
    pathway = pack_copy / "specialist-support.yaml"
    _edit(pathway, "table: specialist-support", "table: specialist-suport")
    table = pack_copy / "directory" / "eligibility.yaml"
    _edit(table, "cells: {in_nrm: true, not_in_nrm: false, negative: false, positive: true}",
          "cells: {in_nrm: true, not_in_nrm: false, negativ: false, positive: true}")
    assert _found(pack_copy, "unknown-table") == [("specialist-support.yaml",
                                                    _line(pathway, "table: specialist-suport"))]
    assert _found(pack_copy, "unknown-column") == [("eligibility.yaml", _line(table, "negativ:"))]


def test_registry_get_and_unknown_id() -> None:
    assert rules.get("dead-end").level is Level.ERROR
    with pytest.raises(ValueError, match="no lint rule 'nope'"):
        rules.get("nope")


@pytest.mark.parametrize("rule", list(rules.RULES.values()), ids=list(rules.RULES))
def test_every_rule_is_documented_with_pass_and_fail(rule: rules.Rule) -> None:
    assert rule.id == rule.id.lower() and " " not in rule.id
    assert "FAIL:" in rule.doc and "PASS:" in rule.doc and "Fix:" in rule.doc


def test_unreachable_node(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "  - id: e_child\n", "  - id: i_orphan\n    type: info\n    title: Old\n"
          "    text: Old advice\n    source: protocol nowhere\n    next: e_child\n\n  - id: e_child\n")
    assert _found(pack_copy, "unreachable-node") == [("nrm-pre.yaml", _line(target, "i_orphan"))]


def test_cycle_no_exit_and_dead_end(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    # s_child_in_nrm loops back to itself via a new step: no way out.
    _edit(target, "    next: e_child\n", "    next: s_loop\n\n  - id: s_loop\n    type: step\n"
          "    steps: [refer_nrm]\n    source: protocol test\n    next: s_child_in_nrm\n")
    loop = sorted(_found(pack_copy, "cycle-no-exit"))
    assert loop == sorted([("nrm-pre.yaml", _line(target, "id: s_child_in_nrm")),
                           ("nrm-pre.yaml", _line(target, "id: s_loop"))])
    # q_under_18 still has a way out (the adult route); nothing leads only into the loop.
    assert _found(pack_copy, "dead-end") == []


def test_dead_end_before_a_closed_loop(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "    next: e_child\n", "    next: s_loop\n\n  - id: s_loop\n    type: step\n"
          "    steps: [refer_nrm]\n    source: protocol test\n    next: s_loop\n")
    assert _found(pack_copy, "dead-end") == [("nrm-pre.yaml", _line(target, "id: s_child_in_nrm"))]
    assert _found(pack_copy, "cycle-no-exit") == [("nrm-pre.yaml", _line(target, "id: s_loop"))]


def test_option_coverage(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "      - value: unsure\n        next: b_child_in_nrm\n", "")
    line = _line(target, "fact: under_18") + 5  # the first option of q_under_18
    assert _found(pack_copy, "option-coverage") == [("nrm-pre.yaml", line)]


def test_branch_without_otherwise(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "      - value: \"no\"\n        next: q_nrm_status\n",
          "      - value: \"no\"\n        next: b_age\n")
    _edit(target, "  - id: e_child\n", "  - id: b_age\n    type: branch\n    source: protocol test\n"
          "    routes:\n      - when: {fact: under_18, in: [\"yes\"]}\n        next: b_child_in_nrm\n"
          "      - when: {fact: under_18, in: [\"no\"]}\n        next: q_nrm_status\n\n  - id: e_child\n")
    [problem] = [p for p in lint.lint_pack(pack_copy, TODAY) if p.rule == "branch-no-otherwise"]
    assert problem.line == _line(target, '- when: {fact: under_18, in: ["yes"]}') and "under_18 = unsure" in problem.message


def test_review_date_past_and_contact_stale(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "review_date: 2027-05-31", "review_date: 2026-01-31")
    assert _found(pack_copy, "review-date-past") == [("nrm-pre.yaml", _line(target, "review_date"))]
    contacts = pack_copy / "directory" / "contacts.yaml"
    _edit(contacts, "    verified: true\n    last_verified: 2026-11-01\n", "    verified: true\n")
    _edit(contacts, "last_verified: 2026-11-01", "last_verified: 2025-01-01")
    assert _found(pack_copy, "contact-stale") == [
        ("contacts.yaml", _line(contacts, "verified: true")),
        ("contacts.yaml", _line(contacts, "2025-01-01"))]


def test_empty_text(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "    source: \"protocol 4.3\"\n", "    source: \"   \"\n")
    assert _found(pack_copy, "empty-text") == [("nrm-pre.yaml", _line(target, 'source: "   "'))]


def test_unused_item(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    _edit(target, "    steps: [notify_dtn]\n", "    steps: [refer_nrm]\n")
    steps = pack_copy / "directory" / "steps.yaml"
    assert ("steps.yaml", _line(steps, "id: notify_dtn")) in _found(pack_copy, "unused-item")


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
