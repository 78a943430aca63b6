"""The real terminal: `ms-navigator start` driven in a pty with arrow keys, Enter and Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
EXE = shutil.which("ms-navigator", path=str(Path(sys.executable).parent)) or "ms-navigator"


REVIEW = "Check the answers before the plan is made"
CTRL_X = "\x18"


CTRL_C = "\x03"
WAIT = 120
"""Seconds to wait for what the screen should show: only a hang takes this long, so a busy
machine (a slow start, a loaded CI runner) is never a failure."""


def as_in_a_terminal() -> None:
    """Give the program Ctrl-C as a terminal would: a test run started in the background (a
    CI job, `nohup`) ignores SIGINT, and every program it starts would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(*args: str, command: str = "start", width: int = 100, **env_extra: str):  # noqa: ANN201
    """Run the real program in a pty; saved visits go to the test's MS_NAVIGATOR_DATA_DIR."""
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": str(width),
           "LINES": "40", **env_extra}
    return pexpect.spawn(EXE, [command, *args], env=env, encoding="utf-8", timeout=WAIT,
                         dimensions=(40, width), preexec_fn=as_in_a_terminal)


def press(child, keys: str) -> None:  # noqa: ANN001
    """Send keys to a prompt once it is reading them: prompt_toolkit turns the terminal's echo
    off when it takes the keyboard, so wait for that rather than for a clock. Keys sent
    earlier reach a terminal still in line mode, which turns Enter into a newline."""
    child.waitnoecho(timeout=WAIT)
    child.send(keys)


def finish(child, code: int | None = None) -> str:  # noqa: ANN001
    """Wait for the program to end; return what it printed last (checking the exit code if given)."""
    child.expect(pexpect.EOF)
    rest = child.before or ""
    child.close()
    assert "Traceback" not in rest
    if code is not None:
        assert child.exitstatus == code
    return rest


def choose(child, question: str, downs: int) -> None:  # noqa: ANN001
    """Wait for a question on screen, then choose the option `downs` below the pointer."""
    child.expect_exact(question)
    press(child, DOWN * downs + ENTER)


def test_arrow_keys_and_enter_reach_a_plan() -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 1)   # No
    choose(child, "Could the person be under 18?", 2)  # Not sure
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)  # the answers are right
    child.expect_exact("RECOMMENDED STEPS")
    child.expect_exact("Make sure the person is referred to the National Referral Mechanism")
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
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)
    child.expect_exact("RECOMMENDED STEPS")
    rest = child.read()
    child.close()
    assert "Call 999" not in rest and child.exitstatus == 0


DANGER = "Yes: someone is at risk of harm now"
NEXT = "Could the person be under 18?"


def test_danger_shows_999_at_once_before_the_next_question() -> None:
    child = spawn("--no-save")
    child.expect_exact("at risk of immediate harm")
    child.expect_exact(DANGER)  # the pointer is on it
    assert "999" not in child.before
    press(child, ENTER)
    child.expect_exact(NEXT)
    shown = child.before
    assert "DO THIS NOW" in shown and "Call 999 now" in shown  # in a panel, before the question
    press(child, DOWN * 3 + ENTER)  # Go back
    child.expect_exact("at risk of immediate harm")
    press(child, ENTER)  # the same answer again: the step was shown, it is not shown again
    child.expect_exact(NEXT)
    assert "DO THIS NOW" not in child.before
    press(child, CTRL_C)
    finish(child, 130)


@pytest.mark.parametrize("how", [{"args": ("--plain",)}, {"TERM": "dumb"}], ids=["plain", "dumb"])
def test_danger_shows_999_at_once_in_plain_mode(how: dict) -> None:  # type: ignore[type-arg]
    args = how.get("args", ())
    env = {k: v for k, v in how.items() if k != "args"}
    child = spawn(*args, "--no-save", width=80, **env)
    child.expect_exact(f"1. {DANGER}")
    child.expect_exact("then Enter: ")
    assert "999" not in child.before
    child.sendline("1")
    child.expect_exact(NEXT)
    shown = child.before
    assert "*** DO THIS NOW" in shown and "Call 999 now" in shown and "*** End of what" in shown
    assert shown.index("*** DO THIS NOW") < shown.index("999") < shown.index("*** End of what")
    assert "\x1b[" not in shown and "│" not in shown  # words only, nothing drawn
    child.expect_exact("then Enter: ")
    child.sendline("x")  # the quick exit
    finish(child, 0)


def test_the_plan_on_screen_ends_with_what_to_do_first() -> None:
    child = spawn("--no-save", width=100)
    choose(child, "at risk of immediate harm", 0)  # Yes
    choose(child, NEXT, 1)  # No
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "needs for care and support", 1)  # No
    choose(child, "Has the person been referred", 0)  # Not referred
    choose(child, "capacity to decide", 0)  # Yes
    choose(child, "informed consent", 1)  # No
    choose(child, "First Responder Organisation", 0)  # Yes
    choose(child, "made to commit crime", 1)  # No
    choose(child, "sexually exploited", 0)  # Yes, or not known
    choose(child, "describe their gender", 1)  # Male
    choose(child, "somewhere safe to live", 2)  # Housed
    choose(child, REVIEW, 0)
    child.expect_exact("ANSWERS GIVEN")
    child.expect_exact("DO FIRST")
    last = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", finish(child, 0)).split())
    assert last.startswith("1. Now: Call 999 now") and "Duty to Notify" in last
    assert "SERVICES" not in last and "Source:" not in last


def test_ctrl_c_exits_130_with_one_line() -> None:
    child = spawn()
    child.expect_exact("at risk of immediate harm")
    press(child, CTRL_C)
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
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)
    child.expect_exact("Because: Could the person be under 18? -> Yes")
    finish(child, 0)


def test_walk_advances_one_question_per_enter() -> None:
    child = spawn("child-age-unsure", command="walk", width=80)
    child.expect_exact("Press Enter for the next question")
    child.send(ENTER)
    child.expect_exact("Question 1 of 4")
    child.expect_exact("Press Enter for the next question")
    assert "Question 2 of 4" not in child.before
    child.send(ENTER)
    child.expect_exact("Question 2 of 4")
    child.expect_exact("Press Enter for the next question")
    child.send(ENTER)
    child.expect_exact("Question 3 of 4")
    child.expect_exact("Press Enter for the next question")
    child.send(ENTER)
    child.expect_exact("Question 4 of 4")
    child.expect_exact("Press Enter for the plan")
    child.send(ENTER)
    child.expect_exact("THE PLAN THESE ANSWERS LEAD TO")
    finish(child, 0)


def test_term_dumb_gives_numbered_questions_typed_as_numbers() -> None:
    child = spawn(width=80, TERM="dumb")
    child.expect_exact("2. No immediate danger")
    child.sendline("2")
    child.expect_exact("3. Not sure")
    child.sendline("1")
    child.expect_exact("1. Any other organisation")
    child.sendline("1")
    child.expect_exact("1. Yes, or not known")  # made to commit crime?
    child.sendline("2")
    child.expect_exact("0. The answers are right")
    child.sendline("0")
    child.expect_exact("RECOMMENDED STEPS")
    assert "\x1b[" not in finish(child, 0)


@pytest.mark.parametrize(("no_color", "coloured"), [("1", False), ("", True)])
def test_no_color_is_honoured(no_color: str, coloured: bool) -> None:
    child = spawn("child-age-unsure", "--no-pause", command="walk", width=80,
                  TERM="xterm-256color", NO_COLOR=no_color)
    child.expect_exact("Question 3 of 4")
    assert ("\x1b[" in child.before + finish(child, 0)) is coloured


def test_quiz_with_arrow_keys_scores_at_the_end() -> None:
    child = spawn("child-age-unsure", command="quiz", width=80)
    child.expect_exact("Decision 1 of 3")
    choose(child, "arrow keys", 0)  # Choice 1: call 999 (right)
    child.expect_exact("Right: that is what the pathway does.")
    child.expect_exact("Decision 2 of 3")
    choose(child, "arrow keys", 1)  # Choice 2: the NHS route (wrong for this case)
    child.expect_exact("Not quite. The pathway does this:")
    child.expect_exact("Decision 3 of 3")
    choose(child, "arrow keys", 1)  # Choice 2: no statutory defence (right: not made to commit crime)
    child.expect_exact("2 of 3 decisions as the pathway makes them.")
    finish(child, 0)


@pytest.mark.parametrize("keys, shown", [
    (DOWN * 2 + ENTER, "Paused at decision 1 of 3. To carry on: ms-navigator quiz child-age-unsure --from 1"),
    (DOWN * 3 + ENTER, "Quick exit."),
    (CTRL_X, "Quick exit."),
])
def test_quiz_pause_and_quick_exit_leave_without_a_traceback(keys: str, shown: str) -> None:
    child = spawn("child-age-unsure", command="quiz", width=80)
    child.expect_exact("Pause: stop here")  # the menu offers both, as start does
    child.expect_exact("Quick exit: clear the screen")
    child.send(keys)
    child.expect_exact(shown)
    finish(child, 0)


def test_quiz_ignores_stray_keys_and_ctrl_c_is_130() -> None:
    child = spawn("child-age-unsure", command="quiz", width=80)
    child.expect_exact("Quick exit: clear the screen")
    child.send("zq!\x1b[C\x1b[D\t9")  # letters, arrows that mean nothing here, Tab, a number off the menu
    child.sendcontrol("c")  # still at the menu: Ctrl-C is the interrupt (a crash would be exit 1)
    child.expect_exact("Interrupted")
    finish(child, 130)


def test_quiz_hides_the_answer_until_the_trainer_reveals_it() -> None:
    child = spawn("child-age-unsure", "--hide-answer", command="quiz", width=80)
    choose(child, "arrow keys", 0)  # A: call 999
    child.expect_exact("Picked: A.")
    child.expect_exact("Reveal the pathway's answer")
    assert "Right:" not in child.before
    child.send(ENTER)
    child.expect_exact("Right: that is what the pathway does.")
    child.expect_exact("Decision 2 of 3")
    choose(child, "arrow keys", 0)
    child.expect_exact("Reveal the answer")
    child.send(CTRL_X)  # the quick exit works at the reveal too
    child.expect_exact("Quick exit.")
    finish(child, 0)


def test_ctrl_c_stops_a_walk_with_130() -> None:
    child = spawn("child-age-unsure", command="walk", width=80)
    child.expect_exact("Press Enter for the next question")
    child.sendcontrol("c")
    child.expect_exact("Interrupted")
    finish(child, 130)


def saved_files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("*.json")) if data_dir.is_dir() else []


def answer_from_capacity_to_review(child) -> None:  # noqa: ANN001
    """Answer an adult's last questions (capacity, no consent, First Responder, no crime, sexual
    exploitation not ruled out, male, housed), then review."""
    choose(child, "capacity to decide", 0)  # Yes
    choose(child, "informed consent", 1)  # No
    choose(child, "First Responder Organisation", 0)  # Yes
    choose(child, "made to commit crime", 1)  # No
    choose(child, "sexually exploited", 0)  # Yes, or not known
    choose(child, "describe their gender", 1)  # Male
    choose(child, "somewhere safe to live", 2)  # Housed
    child.expect_exact(REVIEW)
    child.expect_exact("No immediate danger")  # the first answer is still there


def interrupt_after_first_answer() -> None:
    """Answer "no immediate danger", then press Ctrl-C at the next question."""
    child = spawn()
    choose(child, "at risk of immediate harm", 1)
    child.expect_exact("Could the person be under 18?")
    press(child, CTRL_C)
    finish(child)


def test_review_screen_changes_an_answer_and_asks_only_what_is_new(data_dir: Path) -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 1)  # No
    choose(child, "Could the person be under 18?", 0)  # Yes: a child
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 2)  # Change: under 18
    choose(child, "Could the person be under 18?", 1)  # the pointer starts at Yes; No
    child.expect_exact("needs for care and support")
    assert "at risk of immediate harm" not in child.before  # kept, not asked again
    press(child, DOWN + ENTER)  # No care needs
    choose(child, "Has the person been referred", 0)
    answer_from_capacity_to_review(child)
    press(child, ENTER)
    child.expect_exact("RECOMMENDED STEPS")
    rest = finish(child)
    assert "Duty to Notify" in rest and child.exitstatus == 0
    assert saved_files(data_dir) == []  # the plan is made: nothing stays on disk


def test_ctrl_c_then_resume_loses_nothing(data_dir: Path) -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 1)  # No
    choose(child, "Could the person be under 18?", 1)  # No
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "needs for care and support", 1)  # No
    child.expect_exact("Has the person been referred")
    press(child, CTRL_C)
    assert "ms-navigator resume" in finish(child) and child.exitstatus == 130
    [saved] = saved_files(data_dir)
    assert json.loads(saved.read_text())["answers"] == [
        ["immediate_danger", "no"], ["under_18", "no"], ["organisation", "general"],
        ["care_support_needs", "no"]]

    child = spawn(command="resume")
    child.expect_exact("Has the person been referred")  # straight back to where it stopped
    assert "at risk of immediate harm" not in child.before
    press(child, ENTER)  # Not referred
    answer_from_capacity_to_review(child)
    press(child, ENTER)
    child.expect_exact("RECOMMENDED STEPS")
    assert "Duty to Notify" in finish(child) and child.exitstatus == 0
    assert saved_files(data_dir) == []


def test_second_start_offers_to_resume(data_dir: Path) -> None:
    interrupt_after_first_answer()
    child = spawn()
    choose(child, "was not finished. Resume it?", 0)  # Resume it
    child.expect_exact("Could the person be under 18?")
    assert "at risk of immediate harm" not in child.before
    press(child, CTRL_C)
    finish(child)
    assert len(saved_files(data_dir)) == 1


def test_quick_exit_leaves_at_once_and_deletes_the_answers(data_dir: Path) -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 1)
    child.expect_exact("Could the person be under 18?")
    assert len(saved_files(data_dir)) == 1  # autosaved after the first answer
    press(child, CTRL_X)
    assert "Quick exit" in finish(child)
    assert child.exitstatus == 0 and saved_files(data_dir) == []


def test_up_from_the_first_choice_stays_there_and_never_reaches_the_quick_exit(data_dir: Path) -> None:
    """The menu's last choice is the quick exit, which deletes the answers: the pointer stops
    at the ends instead of going round, so Up then Enter at the first question answers Yes."""
    child = spawn()
    child.expect_exact("at risk of immediate harm")
    press(child, UP * 2 + ENTER)
    child.expect_exact("Could the person be under 18?")
    assert len(saved_files(data_dir)) == 1  # the visit goes on, saved
    press(child, DOWN * 9 + ENTER)  # past the last choice, the pointer stays on it: quick exit
    assert "Quick exit" in finish(child, 0)
    assert saved_files(data_dir) == []


def test_no_save_keeps_nothing_on_disk(data_dir: Path) -> None:
    child = spawn("--no-save")
    choose(child, "at risk of immediate harm", 1)
    child.expect_exact("Could the person be under 18?")
    press(child, CTRL_C)
    assert "nothing was kept" in finish(child) and child.exitstatus == 130
    assert not data_dir.exists()


def answer_a_child_to_the_notes(target: Path):  # noqa: ANN201
    """Start with --output, answer a child's three questions, confirm; stop at the notes."""
    child = spawn("--output", str(target))
    choose(child, "at risk of immediate harm", 1)
    choose(child, "Could the person be under 18?", 0)
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)
    child.expect_exact("Do not write names")
    child.expect_exact("Notes for the case record")
    return child


@pytest.mark.parametrize(("typed", "noted"), [("Interpreter booked for the next visit.", True),
                                              ("x", False)])
def test_plain_mode_asks_for_notes_too(data_dir: Path, tmp_path: Path, typed: str, noted: bool) -> None:
    """A screen reader's user (TERM=dumb) writing a case summary is offered the notes as a
    line of text, after the same warning; x then Enter there is the quick exit."""
    target = tmp_path / "case.md"
    child = spawn("--output", str(target), width=80, TERM="dumb")
    for number, shown in (("2", "2. No immediate danger"), ("1", "3. Not sure"),
                          ("1", "1. Any other organisation"), ("2", "1. Yes, or not known"),
                          ("0", "0. The answers are right")):
        child.expect_exact(shown)
        child.sendline(number)
    child.expect_exact("Do not write names")
    child.expect_exact("Notes for the case record (optional), then Enter:")
    child.sendline(typed)
    rest = finish(child, 0)
    if noted:
        assert target.read_text().endswith(f"## Officer's notes\n\n{typed}\n")
    else:
        assert "Quick exit" in rest and not target.exists() and saved_files(data_dir) == []


def test_case_summary_with_notes_after_a_warning(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    child = answer_a_child_to_the_notes(target)
    press(child, "Interpreter booked for the next visit." + ENTER)
    child.expect_exact("Case summary written to")
    finish(child)
    text = target.read_text()
    assert child.exitstatus == 0 and text.startswith("# Modern slavery: case summary")
    assert text.endswith("## Officer's notes\n\nInterpreter booked for the next visit.\n")


def test_resume_warns_when_the_pathway_files_changed(data_dir: Path) -> None:
    interrupt_after_first_answer()
    [saved] = saved_files(data_dir)
    saved.write_text(saved.read_text().replace('"fingerprint": "', '"fingerprint": "0'))
    child = spawn(command="resume")
    child.expect_exact("pathway files have changed")
    child.expect_exact("Could the person be under 18?")
    press(child, CTRL_C)
    finish(child)


def test_dumb_narrow_terminal_without_colour() -> None:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "dumb", "NO_COLOR": "1"}
    child = pexpect.spawn(EXE, ["start", "--no-save"], env=env, encoding="utf-8", timeout=WAIT,
                          dimensions=(24, 40), preexec_fn=as_in_a_terminal)
    # A dumb terminal gets plain mode: numbered choices, typed as numbers.
    for question, number in (("immediate harm", "2"), ("under 18", "1"), ("organisation", "1"),
                             ("commit crime", "2"), ("Check the answers", "0")):
        child.expect_exact(question)  # short: the question wraps at 40 columns
        child.expect_exact("then Enter: ")
        child.sendline(number)
    child.expect_exact("RECOMMENDED STEPS")
    plan = finish(child)
    assert child.exitstatus == 0 and "Make sure the person is referred" in " ".join(plan.split())
    assert "\x1b[" not in plan  # no colour or style codes at all
    assert [line for line in plan.splitlines() if len(line) > 40] == []


def test_closing_the_terminal_keeps_every_answer(data_dir: Path) -> None:
    child = spawn()
    choose(child, "at risk of immediate harm", 0)  # Yes
    child.expect_exact("Could the person be under 18?")
    child.close(force=True)  # the terminal window is closed: SIGHUP, then SIGKILL if needed
    [saved] = saved_files(data_dir)
    assert json.loads(saved.read_text())["answers"] == [["immediate_danger", "yes"]]


def test_pause_keeps_the_answers_and_ctrl_x_at_the_notes_deletes_them(data_dir: Path,
                                                                     tmp_path: Path) -> None:
    child = spawn("--output", str(tmp_path / "case.md"))
    choose(child, "at risk of immediate harm", 1)
    choose(child, "Could the person be under 18?", 4)  # Yes, No, Not sure, Go back, Pause
    assert "ms-navigator resume" in finish(child) and child.exitstatus == 0
    assert len(saved_files(data_dir)) == 1
    child = spawn("--output", str(tmp_path / "case.md"), command="resume")
    choose(child, "Could the person be under 18?", 0)
    choose(child, "Which organisation are you working for?", 0)  # General Pathway
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)
    child.expect_exact("Notes for the case record")
    press(child, CTRL_X)
    assert "Quick exit" in finish(child) and child.exitstatus == 0
    assert saved_files(data_dir) == [] and not (tmp_path / "case.md").exists()


def test_ctrl_x_at_the_offer_to_resume_deletes_the_saved_visit(data_dir: Path) -> None:
    interrupt_after_first_answer()
    assert len(saved_files(data_dir)) == 1
    child = spawn()
    child.expect_exact("was not finished. Resume it?")
    press(child, CTRL_X)
    assert "Quick exit" in finish(child) and child.exitstatus == 0
    assert sorted(data_dir.iterdir()) == []  # no visit, lock, notes or leftover


def test_ctrl_c_while_typing_notes_keeps_them_for_resume(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    child = answer_a_child_to_the_notes(target)
    press(child, "Interpreter booked")
    child.sendcontrol("c")
    rest = finish(child)
    assert child.exitstatus == 130 and "notes are kept in" in " ".join(rest.split())
    [notes] = data_dir.glob("*.notes")
    assert notes.read_text() == "Interpreter booked"
    child = spawn("--output", str(target), command="resume")
    choose(child, REVIEW, 0)
    child.expect_exact("Notes for the case record")
    press(child, " for Tuesday." + ENTER)  # the notes typed before are there to carry on
    child.expect_exact("Case summary written to")
    finish(child)
    assert target.read_text().endswith("Interpreter booked for Tuesday.\n")
    assert sorted(data_dir.iterdir()) == []


def test_a_data_folder_that_cannot_be_written_keeps_the_visit_going(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    child = spawn(MS_NAVIGATOR_DATA_DIR=str(blocker))
    choose(child, "at risk of immediate harm", 1)
    child.expect_exact("could not be saved")
    choose(child, "Could the person be under 18?", 0)
    choose(child, "Which organisation are you working for?", 0)
    choose(child, "made to commit crime", 1)  # No
    choose(child, REVIEW, 0)
    child.expect_exact("RECOMMENDED STEPS")
    finish(child, code=0)
