"""Asking questions in a terminal. The only module that imports questionary.

`unsafe_ask()` is used on purpose: plain `ask()` swallows Ctrl-C and returns None, which would
look like an answer. Ctrl-C stays a KeyboardInterrupt (exit 130); a closed stdin becomes an
InteractiveSessionError (exit 2, with advice to use --answers).
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Protocol

from ms_navigator.engine import Question
from ms_navigator.errors import InteractiveSessionError

BACK = "__back__"
"""Returned by an asker when the user chooses to go back one question."""

NO_TERMINAL = (
    "ms-navigator start asks questions, and needs a terminal to do it. To run it without a "
    "terminal, give the answers in a file: ms-navigator start --answers answers.yaml "
    "(or --answers - to read them from standard input)."
)


class Asker(Protocol):
    """Anything that can answer a question: a terminal prompt, or a script in tests."""

    def ask(self, question: Question, can_go_back: bool) -> str:
        """Return one of the question's values, or BACK."""
        ...


def require_terminal(message: str = NO_TERMINAL) -> None:
    """Raise InteractiveSessionError unless both stdin and stdout are terminals."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InteractiveSessionError(message)


class QuestionaryAsker:
    """Asks with arrow keys and Enter; numbers also pick a choice."""

    def ask(self, question: Question, can_go_back: bool) -> str:
        import questionary

        choices = [questionary.Choice(title=label, value=value) for value, label in question.options]
        if can_go_back:
            choices.append(questionary.Choice(title="Go back to the previous question", value=BACK))
        try:
            picked = questionary.select(
                question.text,
                choices=choices,
                qmark="?",
                instruction="(arrow keys or numbers, then Enter)",
                use_shortcuts=len(choices) <= 36,
            ).unsafe_ask()
        except EOFError:
            raise InteractiveSessionError(NO_TERMINAL) from None
        if picked is None:  # questionary returns None when the input stream ends
            raise InteractiveSessionError(NO_TERMINAL)
        return str(picked)


def plain_wanted(flag: bool) -> bool:
    """Return True for plain mode: asked for, or a terminal that cannot draw menus (TERM=dumb)."""
    return flag or os.environ.get("TERM", "") == "dumb"


class PlainAsker:
    """Asks with numbered choices typed as numbers: no arrow keys, no colour, no redrawing.

    For screen readers, projectors and terminals that cannot draw a menu. Each question is
    written once, as lines of text, and the answer is a number and Enter.
    """

    def __init__(self, write: Callable[[str], object] = print, read: Callable[[str], str] = input,
                 ended: str = NO_TERMINAL) -> None:
        self.write = write
        self.read = read
        self.ended = ended  # the message when the input ends before an answer

    def ask(self, question: Question, can_go_back: bool) -> str:
        values = [value for value, _ in question.options]
        width = min(shutil.get_terminal_size().columns, 100) - 1
        self.write("")
        self.write(textwrap.fill(question.text, width))
        for n, (_, label) in enumerate(question.options, 1):
            self.write(textwrap.fill(f"{n}. {label}", width, initial_indent="  ", subsequent_indent="     "))
        if can_go_back:
            self.write("  0. Go back to the previous question")
        first = 0 if can_go_back else 1
        while True:
            try:
                typed = self.read(f"Type a number from {first} to {len(values)}, then Enter: ").strip()
            except EOFError:
                raise InteractiveSessionError(self.ended) from None
            if typed == "0" and can_go_back:
                return BACK
            if typed.isdigit() and 1 <= int(typed) <= len(values):
                return values[int(typed) - 1]
            self.write(f"'{typed}' is not one of the numbers.")


class ScriptedAsker:
    """Answers from a list, in order: for tests and demonstrations."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)

    def ask(self, question: Question, can_go_back: bool) -> str:
        if not self.answers:
            raise InteractiveSessionError(f"no scripted answer left for '{question.fact}'")
        return self.answers.pop(0)


def wait_for_enter(prompt: str) -> bool:
    """Wait for Enter; return False if the user typed q (quit) or the input ended.

    Plain `input()` on purpose: a walk-through only needs Enter, and this keeps it usable on
    screen readers and projectors. Ctrl-C stays a KeyboardInterrupt (exit 130).
    """
    try:
        return input(prompt).strip().lower() not in ("q", "quit")
    except EOFError:
        return False
