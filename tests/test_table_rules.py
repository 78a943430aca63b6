"""The eligibility table as a decision table: every status x gender covered or explained, no dead or repeated rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ms_navigator import lint
from tests.helpers import edit, line_of, tiny_pack


def _problems(pack_dir: Path, rule: str) -> list:
    return [p for p in lint.lint_pack(pack_dir, date(2026, 11, 23)) if p.rule == rule]


def _table(pack_dir: Path) -> Path:
    return pack_dir / "directory" / "eligibility.yaml"


def test_uncovered_combinations_need_a_reason(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _table(root)
    edit(table, "cells: {not_in_nrm: true}", "cells: {not_in_nrm: false}")
    found = _problems(root, "table-gap")
    assert sorted(p.message.split(" gets")[0] for p in found) == sorted(
        f"nrm_status = {s}, gender = {g}" for s in ("not_referred", "unknown") for g in ("female", "male"))
    assert {p.line for p in found} == {line_of(table, "- service: advocacy")}

    gaps = "gaps:\n" + "".join(
        f"  - {{nrm_status: {s}, gender: {g}, reason: \"The table ticks nothing here\"}}\n"
        for s in ("not_referred", "unknown") for g in ("female", "male"))
    table.write_text(table.read_text() + gaps)
    assert _problems(root, "table-gap") == []


def test_gap_for_a_served_combination_is_stale(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _table(root)
    table.write_text(table.read_text() + "gaps:\n  - nrm_status: not_referred\n    gender: male\n"
                     "    reason: none\n")
    [problem] = _problems(root, "table-stale-gap")
    assert problem.line == line_of(table, "nrm_status: not_referred")


def test_row_that_never_fires(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _table(root)
    edit(table, "cells: {not_in_nrm: true}", "cells: {not_in_nrm: false}")
    [problem] = _problems(root, "table-row-never-fires")
    assert problem.line == line_of(table, "service: advocacy") and "advocacy" in problem.message


def test_duplicate_row(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _table(root)
    edit(table, "rows:\n", "rows:\n  - service: advocacy\n    cells: {not_in_nrm: true}\n")
    [problem] = _problems(root, "table-duplicate-row")
    lines = [i for i, l in enumerate(table.read_text().splitlines(), 1) if "service: advocacy" in l]
    assert problem.line == lines[1] and "row 1" in problem.message


def _row_when(pack_dir: Path, condition: str) -> Path:
    table = _table(pack_dir)
    edit(table, "cells: {not_in_nrm: true}", f"cells: {{not_in_nrm: true}}\n    when: {condition}")
    return table


def test_a_row_that_holds_only_in_some_cases_is_checked_in_every_case(tmp_path: Path) -> None:
    # Kairos's row holds only where sexual exploitation may apply: every value of what a
    # row's `when` reads is tried, and a case left with no service needs a gap like any other
    root = tiny_pack(tmp_path)
    table = _row_when(root, '{fact: immediate_danger, in: ["yes"]}')
    found = _problems(root, "table-gap")
    assert sorted(p.message.split(" gets")[0] for p in found) == sorted(
        f"nrm_status = {s}, gender = {g}, immediate_danger = no"
        for s in ("not_referred", "unknown") for g in ("female", "male"))
    assert {p.line for p in found} == {line_of(table, "- service: advocacy")}
    assert _problems(root, "table-row-never-fires") == []


def test_a_row_whose_condition_never_holds_never_fires(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _row_when(root, '{all: [{fact: immediate_danger, in: ["yes"]}, '
                            '{fact: immediate_danger, in: ["no"]}]}')
    [problem] = _problems(root, "table-row-never-fires")
    assert problem.line == line_of(table, "service: advocacy")


def test_a_row_condition_on_the_tables_own_gender_is_read_with_it(tmp_path: Path) -> None:
    # the gender a `when` reads is the one the table is asked about, never another
    root = tiny_pack(tmp_path)
    _row_when(root, '{fact: gender, in: [female]}')
    found = _problems(root, "table-gap")
    assert sorted(p.message.split(" gets")[0] for p in found) == [
        "nrm_status = not_referred, gender = male", "nrm_status = unknown, gender = male"]


def test_a_row_condition_names_facts_and_values_the_pack_declares(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    table = _row_when(root, '{fact: danger, in: ["yes"]}')
    [problem] = [p for p in lint.lint_pack(root, date(2026, 11, 23)) if p.rule == "unknown-fact"]
    assert problem.line == line_of(table, "when: {fact: danger")
