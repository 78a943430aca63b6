"""What a user of a command-line tool expects to find: -h, -V, shell completion, readable help,
a licence that matches the package's, a changelog kept with fragments, one version scheme."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ms_navigator import __version__
from ms_navigator.cli import app

ROOT = Path(__file__).resolve().parents[1]


def pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
FRAGMENT = re.compile(r"^(\d+|\+[a-z0-9-]+)\.([a-z]+)\.md$")


def test_every_command_is_listed() -> None:
    assert {"start", "resume", "lint", "test", "list", "quiz", "site"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_h_is_help_and_no_metavar_shows_a_python_type(cli, command: str) -> None:
    args = [command, "-h"] if command else ["-h"]
    text = cli(*args).stdout
    assert text.startswith("Usage: ms-navigator")
    leaked = re.findall(r"<(?:str|int|float|bool|path|list\[[^>]*\]|Path|integer)>", text)
    assert leaked == [], f"{command}: {leaked}"


def test_v_and_version_print_the_version(cli) -> None:
    assert cli("-V").stdout == f"ms-navigator {__version__}\n"
    assert cli("--version").stdout == f"ms-navigator {__version__}\n"


def test_shell_completion_is_offered_and_completes_commands_and_options() -> None:
    exe = Path(sys.executable).parent / "ms-navigator"
    # From a bash, as a user runs it: typer detects the shell from the processes above it, so
    # a test run with no shell among them (a job started detached) would find none. The
    # `exit` keeps bash from replacing itself with the command, and so from leaving the chain.
    shown = subprocess.run(["bash", "-c", f"'{exe}' --show-completion; exit $?"], capture_output=True,
                           text=True, check=False)
    assert shown.returncode == 0 and "_ms_navigator_completion" in shown.stdout, shown.stderr
    env = {"_MS_NAVIGATOR_COMPLETE": "complete_bash", "COMP_WORDS": "ms-navigator start --ou",
           "COMP_CWORD": "2", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(exe)], capture_output=True, text=True, env=env, check=False)
    assert done.stdout.split() == ["--output"]
    env.update(COMP_WORDS="ms-navigator res", COMP_CWORD="1")
    done = subprocess.run([str(exe)], capture_output=True, text=True, env=env, check=False)
    assert done.stdout.split() == ["resume"]


def test_the_licence_file_is_the_mit_licence_pyproject_names() -> None:
    assert pyproject()["project"]["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in text and 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_news_fragments_are_named_for_the_changelog() -> None:
    config = pyproject()["tool"]["towncrier"]
    types = {t["directory"] for t in config["type"]}
    assert types == {"added", "changed", "fixed", "removed", "security"}
    folder = ROOT / config["directory"]
    for path in folder.iterdir():
        if path.name == "README.md":
            continue
        found = FRAGMENT.match(path.name)
        assert found and found.group(2) in types, f"{path.name}: name it <issue>.<type>.md ({', '.join(sorted(types))})"
        assert path.read_text(encoding="utf-8").strip(), f"{path.name} is empty"


def test_the_changelog_has_the_marker_towncrier_writes_after_and_the_current_version() -> None:
    config = pyproject()["tool"]["towncrier"]
    text = (ROOT / config["filename"]).read_text(encoding="utf-8")
    assert config["start_string"] in text
    assert re.search(rf"^## {re.escape(__version__)} - ", text, re.M)


def test_the_version_and_the_pre_commit_rev_follow_one_scheme() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    revs = re.findall(r"^\s*rev: (\S+)$", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.M)
    assert revs and set(revs) == {f"v{__version__}"}
    assert "`vX.Y.Z`" in (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
