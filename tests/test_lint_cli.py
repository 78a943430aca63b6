"""`ms-navigator lint` for CI: formats, --strict, a single file, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ms_navigator.problems import Level, Problem
from ms_navigator.render import ci
from tests.helpers import edit, line_of, tiny_pack


def _break_reference(pack_dir: Path) -> tuple[Path, int]:
    target = pack_dir / "status.yaml"
    edit(target, "next: s_confirm", "next: s_nowhere")
    return target, line_of(target, "s_nowhere")


def _stale_review(pack_dir: Path) -> Path:
    target = pack_dir / "visit.yaml"
    edit(target, "review_date: 2027-12-31", "review_date: 2020-01-31")
    return target


@pytest.fixture()
def pair(tmp_path: Path) -> Path:
    """The two-pathway fixture pack (visit.yaml hands over to status.yaml)."""
    return tiny_pack(tmp_path, "pair")


def test_warnings_pass_unless_strict(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "review_date: 2027-12-31", "review_date: 2020-01-31")
    out = cli("lint", str(root)).stdout
    assert "warning review-date-past" in out
    cli("lint", str(root), "--strict", code=1)


def test_review_dates_note_then_warn_as_of_the_day_given(cli, tmp_path: Path, monkeypatch) -> None:
    """Two months' notice that never fails, then a warning; --today beats MS_NAVIGATOR_TODAY
    (the small test pack, its pathway's review date set to 2027-05-31)."""
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "review_date: 2027-12-31", "review_date: 2027-05-31")
    monkeypatch.setenv("MS_NAVIGATOR_TODAY", "2027-01-01")
    assert cli("lint", str(root), "--strict").stdout == ""
    near = cli("lint", str(root), "--strict", "--today", "2027-05-01")
    assert "info review-date-near the review date 2027-05-31 is 30 day(s) away" in near.stdout
    monkeypatch.setenv("MS_NAVIGATOR_TODAY", "2027-06-01")
    assert "warning review-date-past" in cli("lint", str(root)).stdout
    cli("lint", str(root), "--strict", code=1)
    assert cli("lint", str(root), "--strict", "--today", "2027-01-01").stdout == ""


@pytest.mark.parametrize("value", ["31/05/2027", "tomorrow", "2027-02-30"])
def test_a_date_that_is_not_a_date_is_bad_usage(cli, monkeypatch, value: str) -> None:
    assert "YYYY-MM-DD" in cli("lint", "--today", value, code=2).stderr
    monkeypatch.setenv("MS_NAVIGATOR_TODAY", value)
    assert "MS_NAVIGATOR_TODAY" in cli("lint", code=2).stderr


def test_notes_are_github_notices_and_sarif_notes() -> None:
    note = Problem("p.yaml", 3, 1, "review-date-near", Level.INFO, "soon")
    assert ci.github([note]).splitlines()[1].startswith("::notice file=p.yaml,line=3,")
    assert json.loads(ci.sarif([note]))["runs"][0]["results"][0]["level"] == "note"


def test_a_file_inside_a_pack_reports_only_that_file(cli, pair: Path) -> None:
    visit = _stale_review(pair)
    assert "review-date-past" in cli("lint", str(visit)).stdout
    assert cli("lint", str(pair / "status.yaml")).stdout == ""
    _break_reference(pair)
    out = cli("lint", str(pair / "status.yaml"), code=1).stdout
    assert "unknown-node" in out and "visit.yaml" not in out


def test_github_format(cli, pair: Path) -> None:
    target, line = _break_reference(pair)
    out = cli("lint", str(pair), "--format", "github", code=1).stdout
    assert f",line={line},col=15,endLine={line},endColumn=23,title=unknown-node::unknown node 's_nowhere'" in out
    assert out.startswith("::group::") and "\n::error file=" in out


def test_sarif_format(cli, pair: Path) -> None:
    target, line = _break_reference(pair)
    log = json.loads(cli("lint", str(pair), "--format", "sarif", code=1).stdout)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "unknown-node"]
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (line, 15)
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == [
        "pack-not-checked", "unknown-node"]


def test_missing_path_is_one_clear_problem(cli, tmp_path: Path) -> None:
    out = cli("lint", str(tmp_path / "nowhere"), code=2).stdout  # bad usage (contract)
    assert out.count("\n") == 1 and "file no such pathway folder" in out


def test_github_escapes_newlines_and_commas() -> None:
    problem = Problem("a,b.yaml", 0, 0, "schema", Level.WARNING, "line one\nline two: 100%")
    assert ci.github([problem]).splitlines()[1] == (
        "::warning file=a%2Cb.yaml,line=1,col=1,title=schema::line one%0Aline two: 100%25")


def test_scenario_files_are_checked_too(cli, tmp_path: Path) -> None:
    scenario = tiny_pack(tmp_path, scenarios=True) / "scenarios" / "child-age-unsure.yaml"
    edit(scenario, "expect:", "expects:")
    out = cli("lint", str(scenario), code=1).stdout
    assert "child-age-unsure.yaml:" in out and "unknown key 'expects'" in out


def test_a_file_whose_pack_has_errors_elsewhere_fails_with_them(cli, pair: Path) -> None:
    """The whole-pack checks cannot run: the run fails whichever file was given, and says why."""
    target, line = _break_reference(pair)
    visit = pair / "visit.yaml"
    out = cli("lint", str(visit), code=1).stdout.splitlines()
    assert out[0].startswith(f"{pair}:0:0: error pack-not-checked the safety invariants ")
    assert out[1].startswith(f"{target}:{line}:15: error unknown-node ")
    assert len(out) == 2


def test_many_files_of_one_pack_lint_the_pack_once(cli, pair: Path, monkeypatch) -> None:
    """A pre-commit hook passes every changed file: the pack is linted once, not once a file."""
    from ms_navigator import lint

    calls = []
    real = lint._lint_pack
    monkeypatch.setattr(lint, "_lint_pack", lambda *a: calls.append(a) or real(*a))
    target, line = _break_reference(pair)
    visit, steps = pair / "visit.yaml", pair / "directory" / "steps.yaml"
    out = cli("lint", str(target), str(visit), str(steps), code=1).stdout.splitlines()
    assert len(calls) == 1
    assert " pack-not-checked " in out[0]
    assert out[1].startswith(f"{target}:{line}:") and " unknown-node " in out[1]
    assert len(out) == 2  # the error is in one of the files given: the others are fine
