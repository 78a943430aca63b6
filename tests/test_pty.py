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


def spawn(*args: str, command: str = "start", width: int = 100, **env_extra: str):
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": str(width),
           "LINES": "40", **env_extra}
    return pexpect.spawn(EXE, [command, *args], env=env, encoding="utf-8", timeout=20,
                         dimensions=(40, width))


def finish(child, code: int = 0) -> str:
    """Wait for the program to end; assert its exit code and return what it printed last."""
    child.expect(pexpect.EOF)
    text = child.before or ""
    child.close()
    assert child.exitstatus == code and "Traceback" not in text
    return text


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


def test_explain_mode_says_why_before_each_question() -> None:
    child = spawn("--explain")
    child.expect_exact("Why: Safety comes first")
    choose(child, "at risk of immediate harm", 1)  # No
    child.expect_exact("Why: A child is always referred")
    choose(child, "Could the person be under 18?", 0)  # Yes
    child.expect_exact("Because: Could the person be under 18? -> Yes")
    finish(child)


def test_walk_advances_one_question_per_enter() -> None:
    child = spawn("child-age-unsure", command="walk", width=80)
    child.expect_exact("Press Enter for the next question")
    child.send(ENTER)
    child.expect_exact("Question 1 of 2")
    child.expect_exact("Press Enter for the next question")
    assert "Question 2 of 2" not in child.before
    child.send(ENTER)
    child.expect_exact("Question 2 of 2")
    child.expect_exact("Press Enter for the plan")
    child.send(ENTER)
    child.expect_exact("THE PLAN THESE ANSWERS LEAD TO")
    finish(child)


def test_term_dumb_gives_numbered_questions_typed_as_numbers() -> None:
    child = spawn(width=80, TERM="dumb")
    child.expect_exact("2. No immediate danger")
    child.sendline("2")
    child.expect_exact("3. Not sure")
    child.sendline("1")
    child.expect_exact("RECOMMENDED STEPS")
    assert "\x1b[" not in finish(child)


@pytest.mark.parametrize(("no_color", "coloured"), [("1", False), ("", True)])
def test_no_color_is_honoured(no_color: str, coloured: bool) -> None:
    child = spawn("child-age-unsure", "--no-pause", command="walk", width=80,
                  TERM="xterm-256color", NO_COLOR=no_color)
    child.expect_exact("Question 2 of 2")
    assert ("\x1b[" in child.before + finish(child)) is coloured


def test_quiz_with_arrow_keys_scores_at_the_end() -> None:
    child = spawn("child-age-unsure", command="quiz", width=80)
    child.expect_exact("Decision 1 of 2")
    choose(child, "arrow keys", 0)  # Choice 1: call 999 (right)
    child.expect_exact("Right: that is what the pathway does.")
    child.expect_exact("Decision 2 of 2")
    choose(child, "arrow keys", 1)  # Choice 2: treat as an adult (wrong)
    child.expect_exact("Not quite. The pathway does this:")
    child.expect_exact("1 of 2 decisions as the pathway makes them.")
    finish(child)


def test_ctrl_c_stops_a_walk_with_130() -> None:
    child = spawn("child-age-unsure", command="walk", width=80)
    child.expect_exact("Press Enter for the next question")
    child.sendcontrol("c")
    child.expect_exact("Interrupted")
    finish(child, 130)
