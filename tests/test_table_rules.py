"""The eligibility table as a decision table: every status x gender covered or explained, no dead or repeated rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ms_navigator import lint
from tests.helpers import line_of


def _problems(pack_dir: Path, rule: str) -> list:
    return [p for p in lint.lint_pack(pack_dir, date(2026, 11, 23)) if p.rule == rule]


def _table(pack_dir: Path) -> Path:
    return pack_dir / "directory" / "eligibility.yaml"


def test_uncovered_combinations_need_a_reason(pack_copy: Path) -> None:
    table = _table(pack_copy)
    table.write_text(table.read_text().replace("negative: true", "negative: false"))
    found = _problems(pack_copy, "table-gap")
    assert sorted(p.message.split(" gets")[0] for p in found) == sorted(
        f"nrm_status = {s}, gender = {g}" for s in ("negative_rg", "negative_cg", "unknown")
        for g in ("female", "male", "other"))
    assert {p.line for p in found} == {line_of(table, "- service: msvcc")}

    gaps = "gaps:\n" + "".join(
        f"  - {{nrm_status: {s}, gender: {g}, reason: \"Protocol 4.3 ticks nothing here\"}}\n"
        for s in ("negative_rg", "negative_cg", "unknown") for g in ("female", "male", "other"))
    table.write_text(table.read_text() + gaps)
    assert _problems(pack_copy, "table-gap") == []


def test_gap_for_a_served_combination_is_stale(pack_copy: Path) -> None:
    table = _table(pack_copy)
    table.write_text(table.read_text() + "gaps:\n  - nrm_status: positive_cg\n    gender: male\n"
                     "    reason: none\n")
    [problem] = _problems(pack_copy, "table-stale-gap")
    assert problem.line == line_of(table, "nrm_status: positive_cg")


def test_row_that_never_fires(pack_copy: Path) -> None:
    table = _table(pack_copy)
    text = table.read_text()
    old = "  - service: kairos\n    cells: {in_nrm: true, not_in_nrm: true, negative: true, positive: true}"
    assert old in text
    table.write_text(text.replace(old, "  - service: kairos\n    cells: {in_nrm: false, "
                                       "not_in_nrm: false, negative: false, positive: false}"))
    [problem] = _problems(pack_copy, "table-row-never-fires")
    assert problem.line == line_of(table, "service: kairos") and "kairos" in problem.message


def test_duplicate_row(pack_copy: Path) -> None:
    table = _table(pack_copy)
    table.write_text(table.read_text().replace(
        "rows:\n", "rows:\n  - service: adavu\n    cells: {in_nrm: true}\n", 1))
    [problem] = _problems(pack_copy, "table-duplicate-row")
    lines = [i for i, l in enumerate(table.read_text().splitlines(), 1) if "service: adavu" in l]
    assert problem.line == lines[1] and "row 1" in problem.message
