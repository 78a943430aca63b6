"""Every width from 40 columns: menus, questions and the plan wrap between words, read off
the screen a real terminal would show (pyte draws what the program writes to the pty)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import shipped
from tests.test_pty import DOWN, ENTER, WAIT, finish, press, spawn

pyte = pytest.importorskip("pyte")

FIRST_QUESTION = "Is the person, or anyone else, at risk of immediate harm right now?"
FIRST_CHOICES = ("Yes: someone is at risk of harm now", "No immediate danger")
LEAVING = ("Pause: leave now and keep the answers to resume later",
           "Quick exit: leave now and delete the answers (Ctrl-X)")


class Screen:
    """What the terminal shows: the program's output drawn by pyte on a screen of a size."""

    def __init__(self, columns: int, rows: int = 200) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    def write(self, text: str) -> None:  # pexpect's logfile_read
        self.stream.feed(text)

    def flush(self) -> None:
        pass

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display if line.strip()]

    def text(self) -> str:
        """The screen's words in one line, as a reader reads them (a word cut in two, or cut
        off at the edge, is then missing)."""
        return " ".join(" ".join(line.split()) for line in self.lines())


def at(width: int, *args: str):  # noqa: ANN201
    child = spawn(*args, width=width)
    child.screen = Screen(width, 40)
    child.logfile_read = child.screen
    return child


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_the_first_question_and_its_choices_are_whole_at_any_width(width: int) -> None:
    child = at(width, "--no-save")
    child.expect_exact("Ctrl-X")  # the menu's instruction, drawn after the question
    child.expect_exact("Quick exit")
    child.waitnoecho(timeout=WAIT)
    shown = child.screen.text()
    for words in (FIRST_QUESTION, *FIRST_CHOICES, "Quick exit: leave now, nothing is kept (Ctrl-X)"):
        assert words in shown, f"{words!r} is cut at {width} columns:\n" + "\n".join(child.screen.lines())
    assert all(len(line) <= width for line in child.screen.lines())
    press(child, "x")  # the quick exit's key
    press(child, ENTER)
    finish(child, 0)


def review_keys(lines: list[str]) -> dict[str, str]:
    """Return the review menu as {key: what the choice says}."""
    keys = {}
    for line in lines:
        found = re.match(r"^\s*(?:»\s*)?([0-9a-z-])\) (.*)$", line)
        if found:
            keys[found.group(1)] = found.group(2)
    return keys


@pytest.mark.parametrize("width", [40, 120])
def test_review_keys_match_the_answer_numbers_and_the_plan_ends_with_what_to_do_first(width: int) -> None:
    child = at(width)
    for downs in (1, 0, 0, 1):  # no danger; under 18: yes; any other organisation; no crime
        child.expect_exact("Quick exit")
        press(child, DOWN * downs + ENTER)
    child.expect_exact("Check the answers")
    child.expect_exact("Quick exit")
    child.waitnoecho(timeout=WAIT)
    keys = review_keys(child.screen.lines())
    assert keys["0"].startswith("The answers are right")
    assert keys["1"].startswith("Change answer 1") and keys["2"].startswith("Change answer 2")
    assert keys["3"].startswith("Change answer 3")
    assert keys["p"].startswith("Pause") and keys["x"].startswith("Quick exit")
    child.send("2")  # the key of "Change answer 2" moves the pointer there
    press(child, ENTER)
    child.expect_exact("Keep the answer as it was")
    child.expect_exact("Quick exit")
    press(child, "0" + ENTER)  # keep it
    child.expect_exact("Check the answers")
    child.expect_exact("Quick exit")
    press(child, "0" + ENTER)  # the answers are right
    child.expect_exact("DO FIRST")
    rest = finish(child, 0)
    shown = child.screen.text()
    assert "Make sure the person is referred to the National Referral Mechanism" in shown
    assert all(len(line) <= width for line in child.screen.lines())
    assert "…" not in shown  # nothing cut short, not even a long web address
    # The end of the output is what to do first: nothing of the plan comes after it.
    assert "ANSWERS GIVEN" not in rest and "GUIDANCE" not in rest and "Source:" not in rest
    words = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", rest).split())
    first = " ".join(shipped().steps["safeguarding_children"].summary.split()[:8])
    assert f"1. Now: {first}" in words


@pytest.mark.parametrize("width", [40, 60])
def test_plain_mode_wraps_the_choices_at_narrow_widths(width: int) -> None:
    child = at(width, "--plain", "--no-save")
    child.expect_exact("then Enter: ")
    shown = child.screen.text()
    assert FIRST_QUESTION in shown and all(words in shown for words in FIRST_CHOICES)
    assert all(len(line) <= width for line in child.screen.lines())
    child.sendline("x")
    finish(child, 0)
