"""Scenarios as real tests: lint checks their ids, failures carry file:line, JUnit/GitHub/JSON
reports, and the pytest plugin (`pytest pathways/scenarios`); shown on the tiny pack's two."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import edit, line_of, tiny_pack

ROOT = Path(__file__).resolve().parents[1]


def _misspell(pack: Path) -> tuple[Path, int]:
    """Misspell the id in a scenario's `no_steps`: a check that could never fail."""
    scenario = pack / "scenarios" / "child-age-unsure.yaml"
    edit(scenario, "no_steps: [call_999]", "no_steps: [call_99]")
    return scenario, line_of(scenario, "call_99]")


def _fail_one(pack: Path) -> tuple[Path, int]:
    scenario = pack / "scenarios" / "child-age-unsure.yaml"
    edit(scenario, "no_steps: [call_999]", "no_steps: [refer_nrm]")
    return scenario, line_of(scenario, "no_steps")


@pytest.fixture()
def pack_dir(tmp_path: Path) -> Path:
    """The tiny pack with its two scenarios (child-age-unsure, adult-in-danger)."""
    return tiny_pack(tmp_path, scenarios=True)


def test_lint_checks_the_ids_scenarios_use(cli, pack_dir: Path) -> None:
    scenario, line = _misspell(pack_dir)
    out = cli("lint", str(pack_dir / "visit.yaml"), code=1).stdout  # cross-file: reported anyway
    assert out == (f"{scenario}:{line}:14: error scenario-unknown-id the scenario names an "
                   "unknown step 'call_99'. Did you mean 'call_999'?\n")


def test_test_fails_a_misspelt_id_at_its_line(cli, pack_dir: Path) -> None:
    scenario, line = _misspell(pack_dir)
    out = cli("test", str(scenario), code=1).stdout
    assert f"   - {scenario}:{line}:14: unknown step 'call_99': the pack has no such id" in out


def test_any_pack_file_runs_every_scenario_of_its_pack(cli, pack_dir: Path) -> None:
    count = len(list((pack_dir / "scenarios").glob("*.yaml")))
    out = cli("test", str(pack_dir / "visit.yaml"), str(pack_dir / "directory" / "steps.yaml"),
              str(pack_dir / "scenarios" / "child-age-unsure.yaml")).stdout
    assert out.endswith(f"{count} passed, 0 failed\n")  # each scenario once


def test_junit_report(cli, pack_dir: Path) -> None:
    scenario, line = _fail_one(pack_dir)
    broken = pack_dir / "scenarios" / "broken.yaml"
    broken.write_text("id: [unclosed\n")
    xml = cli("test", str(pack_dir), "--format", "junit", code=1).stdout
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None
    count = len(list((pack_dir / "scenarios").glob("*.yaml")))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (str(count), "1", "1")
    [case] = [c for c in suite if c.find("failure") is not None]
    assert (case.get("name"), case.get("file"), case.get("line")) == (
        "child-age-unsure", str(scenario), str(line))
    assert case.find("failure").get("message") == "step refer_nrm must not be in the plan"  # type: ignore[union-attr]
    [error] = [c for c in suite if c.find("error") is not None]
    assert error.get("file") == str(broken)


def test_github_and_json_reports(cli, pack_dir: Path) -> None:
    scenario, line = _fail_one(pack_dir)
    out = cli("test", str(scenario), "--format", "github", code=1).stdout.splitlines()
    assert out[0] == f"::group::{scenario}"
    assert out[1].startswith(f"::error file={scenario},line={line},col=14,")
    assert out[1].endswith("title=scenario child-age-unsure::step refer_nrm must not be in the plan")
    assert out[-1] == "0 passed, 1 failed"
    data = json.loads(cli("test", str(scenario), "--format", "json", code=1).stdout)
    assert (data["passed"], data["failed"]) == (0, 1)
    assert data["results"][0]["failures"] == [
        {"message": "step refer_nrm must not be in the plan", "line": line, "column": 14}]
    assert "refer_nrm" in data["results"][0]["steps"]


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def test_pytest_collects_scenario_files_with_selection_and_junit(pack_dir: Path) -> None:
    _fail_one(pack_dir)
    out = _pytest(pack_dir.parent, "tiny/scenarios", "-q", "--collect-only")
    count = len(list((pack_dir / "scenarios").glob("*.yaml")))
    assert f"{count} tests collected" in out.stdout, out.stdout + out.stderr
    junit = pack_dir.parent / "report.xml"
    run = _pytest(pack_dir.parent, "tiny/scenarios", "-k", "child", f"--junitxml={junit}")
    assert run.returncode == 1
    assert "step refer_nrm must not be in the plan" in run.stdout
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    names = sorted(c.get("name", "") for c in suite.iter("testcase"))
    assert names == ["child-age-unsure"]  # adult-in-danger is not selected
    assert [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None] == [
        "child-age-unsure"]


def test_the_projects_own_tests_hold_no_pack_scenarios() -> None:
    """The plugin collects only `scenarios/` folders of a pack; the suite's own test paths hold
    none, so `pytest` here neither runs the shipped scenarios twice nor slows down."""
    assert [p for p in (ROOT / "tests").rglob("scenarios") if (p.parent / "directory").is_dir()] == []
    assert 'testpaths = ["tests"]' in (ROOT / "pyproject.toml").read_text()
