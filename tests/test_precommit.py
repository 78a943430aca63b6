"""The shipped pre-commit hooks, run by the real pre-commit in a scratch git repository.

The hooks are the ones in `.pre-commit-hooks.yaml`, word for word, except `language`: the test
declares them under `repo: local` with `language: system` and puts this environment's
`ms-navigator` first on PATH. A `language: python` hook would make pre-commit build a fresh
virtual environment and install ms-navigator and its dependencies from the package registry,
which a test must not need; `pre-commit validate-manifest` checks the file as shipped.

The repository keeps the small test pack and its worked scenarios (`helpers.tiny_pack`) as
`pathways/`: what is tested is the hooks (which files start them, what they run, that a broken
pack stops the commit with the problem shown), not the shipped content, whose lint and
scenarios are tested in-process (tests/test_cli.py, tests/test_scenarios.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import edit, tiny_pack

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)


def _commit(repo: Path, message: str, *options: str) -> subprocess.CompletedProcess[str]:
    assert _run(repo, "git", "add", "-A").returncode == 0
    return _run(repo, "git", "commit", "-q", *options, "-m", message)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository keeping the small test pack as `pathways/`, with the shipped hooks installed."""
    repo = tmp_path / "policy"
    repo.mkdir()
    assert _run(repo, "git", "init", "-q").returncode == 0
    shutil.copytree(tiny_pack(tmp_path / "fixture", scenarios=True), repo / "pathways")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = {"repos": [{"repo": "local",
                         "hooks": [{**hook, "language": "system"} for hook in hooks]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    installed = _run(repo, sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr
    # The starting point only: each test's own commit is the one the hooks judge (that the
    # pack passes them is test_a_clean_change_is_accepted_and_other_yaml_is_left_alone).
    first = _commit(repo, "the pack", "--no-verify")
    assert first.returncode == 0, first.stdout + first.stderr
    return repo


def test_the_shipped_hook_manifest_is_valid() -> None:
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                              str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_commit_that_breaks_the_child_referral_rule_is_rejected(repo: Path) -> None:
    edit(repo / "pathways" / "visit.yaml", "steps: [safeguarding_children, refer_nrm]",
         "steps: [safeguarding_children]")
    result = _commit(repo, "drop refer_nrm from the child step")
    said = result.stdout + result.stderr  # git shows the hooks' output on stderr
    assert result.returncode != 0
    assert "ms-navigator lint" in said and "Failed" in said
    assert "invariant-broken invariant 'child-referred'" in said
    assert "pathways/directory/invariants.yaml:" in said  # located where it is defined
    assert "expected step refer_nrm" in said  # the scenario hook ran too
    assert _run(repo, "git", "log", "--oneline").stdout.count("\n") == 1  # nothing committed


def test_a_clean_change_is_accepted_and_other_yaml_is_left_alone(repo: Path) -> None:
    pathway = repo / "pathways" / "visit.yaml"
    text = pathway.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    pathway.write_text(text.replace(title, title + " (reviewed)", 1))
    (repo / "ci").mkdir()
    (repo / "ci" / "settings.yaml").write_text("repos: [not, a, pathway]\nunknown: key\n")
    config = repo / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "# a comment\n")
    result = _commit(repo, "reword a title")
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert said.count("Passed") == 2 and "settings.yaml" not in said
    assert _run(repo, "git", "log", "--oneline").stdout.count("\n") == 2
    only_other = repo / "ci" / "settings.yaml"
    only_other.write_text("still: not a pathway\n")
    result = _commit(repo, "other YAML only")
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert said.count("(no files to check)Skipped") == 2
