"""Start-up stays light: `--version` and `--help` import the CLI framework and nothing heavy.

No timings here (they live in benchmarks/): these check which modules a fresh process loads,
which is what keeps start-up near the `import typer` floor.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "yaml", "rich", "questionary", "prompt_toolkit", "ms_navigator.model")

PROBE = """
import io, json, sys, contextlib
sys.argv = ["ms-navigator", *{args!r}]
from ms_navigator.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r} or m in {heavy!r})
sys.__stdout__.write(json.dumps({{"code": code, "out": out.getvalue(), "heavy": heavy}}))
"""


def _probe(*args: str) -> dict:
    import json

    done = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args), heavy=HEAVY)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["lint", "--help"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    found = _probe(*args)
    assert found["code"] in (0, None)
    allowed = {"pydantic"} if args[0] == "lint" else set()  # typer 0.29 converts options with it
    assert {m.split(".")[0] for m in found["heavy"]} <= allowed, found["heavy"]


def test_the_fast_version_says_what_the_option_says(cli) -> None:
    assert _probe("--version")["out"] == cli("--version").stdout
    assert _probe("--version", "--help")["out"] == cli("--version", "--help").stdout
