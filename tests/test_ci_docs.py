"""docs/ci.md's workflow and pre-commit setup, run as written: the same commands, in a scratch
repository that keeps a pack, on a clean pull request and a breaking one.

The pack is the small test pack with its worked scenarios (`helpers.tiny_pack`): what is tested
is the workflow (its commands, exit codes, reports and step summary), and the small pack has a
child referral to remove as the shipped one does, at a tenth of the cost of each `lint` and
`impact` of the shipped pack (the shipped pack's own lint, scenarios and impact are tested in
tests/test_cli.py, tests/test_scenarios.py and tests/test_impact.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jsonschema
import yaml

from ms_navigator import lintconfig
from tests.helpers import edit, tiny_pack

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ci.md").read_text()
BIN = Path(sys.executable).parent


def _block(first_line: str) -> str:
    """Return the fenced YAML block of docs/ci.md that starts with this line."""
    for block in re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"docs/ci.md has no yaml block starting {first_line!r}")


WORKFLOW = yaml.safe_load(_block("# .github/workflows/pathways.yml"))
INSTALL = "Install ms-navigator"
"""The one step not run here: this environment has ms-navigator installed already."""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    *args], check=True, capture_output=True)


def _pull_request(tmp_path: Path, change: Callable[[Path], None]) -> dict[str, int]:
    """Run the workflow's commands on a pull request making `change`; return each step's exit
    code by name, with the repository in tmp_path/repo and the step summary beside it."""
    repo = tmp_path / "repo"
    shutil.copytree(tiny_pack(tmp_path / "fixture", scenarios=True), repo / "pathways")
    _git(repo.parent, "init", "-q", str(repo))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # what checkout fetches
    change(repo / "pathways")
    _git(repo, "commit", "-qam", "the pull request")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_EVENT_NAME": "pull_request"}
    codes = {}
    for step in WORKFLOW["jobs"]["check"]["steps"]:
        if "run" not in step or step["name"] == INSTALL:
            continue
        command = step["run"].replace("${{ github.base_ref }}", "main")
        assert "${{" not in command
        codes[step["name"]] = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env,
                                             capture_output=True, text=True, check=False).returncode
    return codes


def _names() -> list[str]:
    return [s["name"] for s in WORKFLOW["jobs"]["check"]["steps"]
            if "run" in s and s["name"] != INSTALL]


def _reword(pack: Path) -> None:
    edit(pack / "directory" / "steps.yaml", "Call 999 now.", "Ring 999 now.")


def _drop_child_referral(pack: Path) -> None:
    edit(pack / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")


def test_the_workflow_passes_a_wording_change(tmp_path: Path) -> None:
    codes = _pull_request(tmp_path, _reword)
    assert codes == dict.fromkeys(_names(), 0)
    repo = tmp_path / "repo"
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(json.loads((repo / "lint.sarif").read_text()), schema,
                        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    suite = ET.parse(repo / "scenarios.xml").getroot().find("testsuite")
    scenarios = len(list((repo / "pathways" / "scenarios").glob("*.yaml")))
    assert suite is not None and suite.get("failures") == "0" and int(suite.get("tests", 0)) == scenarios >= 2
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## What this change does to the advice\n") and "No change" in summary


def test_the_workflow_fails_the_removal_of_the_child_referral(tmp_path: Path) -> None:
    codes = _pull_request(tmp_path, _drop_child_referral)
    names = _names()
    lint, sarif, scenarios, impact = names
    assert codes == {lint: 1, sarif: 0, scenarios: 1, impact: 1}
    summary = (tmp_path / "summary.md").read_text()
    assert "**Safety: " in summary and "no longer gets step refer_nrm" in summary
    log = json.loads((tmp_path / "repo" / "lint.sarif").read_text())
    assert "invariant-broken" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_the_pre_commit_setup_names_the_shipped_hooks() -> None:
    config = yaml.safe_load(_block("# .pre-commit-config.yaml"))
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    [repo] = config["repos"]
    assert [h["id"] for h in repo["hooks"]] == sorted(hooks)
    # tests/test_precommit.py runs these very hooks with the real pre-commit.


def test_the_configuration_example_is_a_valid_configuration(tmp_path: Path) -> None:
    example = tmp_path / ".ms-navigator.yaml"
    example.write_text(_block("# .ms-navigator.yaml"))
    config = lintconfig.load(example)
    assert config.disabled == {"unused-item"} and config.fail_severity is not None
