"""`ms-navigator test`: runs scenario files like a test runner, with a diff on failure."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import edit, line_of, tiny_pack


def _scenario_count(folder: Path) -> int:
    return len(list(folder.glob("*.yaml")))


def test_shipped_scenarios_pass(cli) -> None:
    from ms_navigator import loader

    out = cli("test").stdout
    assert out.splitlines()[-1] == f"{_scenario_count(loader.shipped_pack_dir() / 'scenarios')} passed, 0 failed"
    assert any(l.startswith("PASS ") and l.endswith(": child-age-unsure") for l in out.splitlines())


def test_a_failing_scenario_shows_a_diff_and_exits_1(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, scenarios=True)
    scenario = root / "scenarios" / "child-age-unsure.yaml"
    edit(scenario, "no_steps: [call_999]", "no_steps: [refer_nrm]")
    out = cli("test", str(root / "scenarios"), code=1).stdout
    lines = out.splitlines()
    assert lines[-1] == f"{_scenario_count(root / 'scenarios') - 1} passed, 1 failed"
    fail = lines.index(next(l for l in lines if l.startswith("FAIL ")))
    assert lines[fail].endswith("child-age-unsure.yaml: child-age-unsure")
    assert lines[fail + 1] == "     given:  immediate_danger=no, under_18=unsure, nrm_status=unknown, gender=female"
    no_steps = line_of(scenario, "no_steps")
    assert lines[fail + 2] == f"   - {scenario}:{no_steps}:14: step refer_nrm must not be in the plan"
    assert lines[fail + 3].startswith("   + plan steps:    safeguarding_children, ")


def test_scenarios_run_against_the_pack_they_sit_in(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, scenarios=True)
    edit(root / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")
    out = cli("test", str(root / "scenarios" / "child-age-unsure.yaml"), code=1).stdout
    assert "expected step refer_nrm" in out and out.endswith("0 passed, 1 failed\n")


def test_broken_scenario_file_counts_as_failed(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n")
    out = cli("test", str(bad), code=1).stdout
    assert "ERROR" in out and "syntax" in out and out.endswith("0 passed, 1 failed\n")
