"""The real terminal: `ms-navigator start` driven in a pty with arrow keys, Enter and Ctrl-C."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

DOWN, ENTER = "\x1b[B", "\r"
EXE = shutil.which("ms-navigator", path=str(Path(sys.executable).parent)) or "ms-navigator"


def spawn(*args: str):  # noqa: ANN201
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
    return pexpect.spawn(EXE, ["start", *args], env=env, encoding="utf-8", timeout=20,
                         dimensions=(40, 100))


def choose(child, question: str, downs: int) -> None:
    child.expect_exact(question)
    child.send(DOWN * downs + ENTER)


def test_arrow_keys_and_enter_reach_a_plan() -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 1)   # No
    choose(child, "Could the person be under 18?", 2)  # Not sure
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    child.expect_exact("RECOMMENDED STEPS")
    child.expect_exact("Refer the person to the National Referral Mechanism")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_going_back_changes_the_earlier_answer() -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 0)  # Yes
    choose(child, "Could the person be under 18?", 3)  # Go back
    choose(child, "at risk of immediate harm", 1)  # No this time
    choose(child, "Could the person be under 18?", 0)  # Yes
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    child.expect_exact("RECOMMENDED STEPS")
    rest = child.read()
    child.close()
    assert "Call 999" not in rest and child.exitstatus == 0


def test_ctrl_c_exits_130_with_one_line() -> None:
    child = spawn()
    child.expect_exact("at risk of immediate harm")
    child.sendcontrol("c")
    child.expect_exact("Interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
