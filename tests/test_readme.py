"""The README's two commands are the ones CI runs and a new user types."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text())[:2]


def test_readme_starts_with_install_and_run_then_install_and_test() -> None:
    run, test = commands()
    assert "pip install ." in run and run.endswith("ms-navigator start")
    assert "pip install -e '.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    assert commands()[1] in (ROOT / ".ci" / "run").read_text().splitlines()
