"""Asking questions in a terminal. The only module that imports questionary (and prompt_toolkit).

`unsafe_ask()` is used on purpose: plain `ask()` swallows Ctrl-C and returns None, which would
look like an answer. Ctrl-C stays a KeyboardInterrupt (exit 130); a closed stdin becomes an
InteractiveSessionError (exit 2, with advice to use --answers). Ctrl-X at any prompt is the
quick exit: it leaves at once, as if "Quick exit" had been chosen.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ms_navigator.engine import Answered, Question
from ms_navigator.errors import InteractiveSessionError
from ms_navigator.safeio import escape

BACK = "__back__"
"""Returned by an asker when the user chooses to go back one question (or keep an answer)."""
PAUSE = "__pause__"
"""Returned when the user leaves now and keeps the saved answers to resume later."""
QUIT = "__quit__"
"""Returned when the user takes the quick exit: leave now and delete the saved answers."""
DONE = "__done__"
"""Returned by the review screen when the answers are right and the plan can be made."""

NO_TERMINAL = (
    "ms-navigator start asks questions, and needs a terminal to do it. To run it without a "
    "terminal, give the answers in a file: ms-navigator start --answers answers.yaml "
    "(or --answers - to read them from standard input)."
)
NOTES_WARNING = (
    "Notes go into the case summary file only. Do not write names, dates of birth, addresses, "
    "phone numbers or anything else that identifies the person. Leave empty for no notes."
)


class Asker(Protocol):
    """Anything that can answer a question: a terminal prompt, or a script in tests."""

    def ask(self, question: Question, can_go_back: bool, current: str | None = None) -> str:
        """Return one of the question's values, BACK, PAUSE or QUIT.

        `current` is the answer already given when the question is asked again from the
        review screen; BACK then means "keep it".
        """
        ...

    def review(self, transcript: tuple[Answered, ...]) -> str:
        """Return DONE, the fact of an answer to change, PAUSE or QUIT."""
        ...


PLAIN_LEAVING = ("Type p then Enter to pause (the answers are kept to resume later), "
                 "or x then Enter for the quick exit (leave now and delete the answers).")
PLAIN_QUICK_EXIT = "Type x then Enter for the quick exit (leave now, nothing is kept)."
PLAIN_NOTES_EXIT = "Type x then Enter for the quick exit (leave now and delete the answers)."
QUICK_EXIT_WORDS = frozenset({"x", "exit", "quit", "\x18"})  # \x18: Ctrl-X, then Enter
PAUSE_WORDS = frozenset({"p", "pause"})


class InterruptedNotes(KeyboardInterrupt):
    """Ctrl-C while typing notes: the text typed so far travels with the interruption, so that
    it can be kept rather than lost."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


def require_terminal(message: str = NO_TERMINAL) -> None:
    """Raise InteractiveSessionError unless both stdin and stdout are terminals (a closed
    stream, as with `start <&-`, is not one)."""
    if not (is_terminal(sys.stdin) and is_terminal(sys.stdout)):
        raise InteractiveSessionError(message)


def is_terminal(stream: Any) -> bool:
    """Return True for an open stream on a terminal; False for None (closed) or anything else."""
    try:
        return stream is not None and not stream.closed and bool(stream.isatty())
    except (OSError, ValueError, AttributeError):
        return False


class QuestionaryAsker:
    """Asks with arrow keys and Enter; numbers also pick a choice; Ctrl-X is the quick exit."""

    def __init__(self, saving: bool = True, leaving: tuple[str, str] | None = None) -> None:
        self.saving = saving
        self.leaving = leaving  # labels for Pause and Quick exit, when a command has its own

    def ask(self, question: Question, can_go_back: bool, current: str | None = None) -> str:
        choices = list(question.options)
        if current is not None:
            label = dict(question.options).get(current, current)
            choices.append((BACK, f"Keep the answer as it was ({label})"))
        elif can_go_back:
            choices.append((BACK, "Go back to the previous question"))
        return _select(question.text, choices + self._leaving(), default=current,
                       keys={BACK: "0", **LEAVING_KEYS})

    def review(self, transcript: tuple[Answered, ...]) -> str:
        return _select(REVIEW_QUESTION, review_choices(transcript) + self._leaving(),
                       keys=review_keys(transcript))

    def _leaving(self) -> list[tuple[str, str]]:
        if self.leaving is not None:
            return [(PAUSE, self.leaving[0]), (QUIT, self.leaving[1])]
        if not self.saving:
            return [(QUIT, "Quick exit: leave now, nothing is kept (Ctrl-X)")]
        return [(PAUSE, "Pause: leave now and keep the answers to resume later"),
                (QUIT, "Quick exit: leave now and delete the answers (Ctrl-X)")]


REVIEW_QUESTION = "Check the answers before the plan is made. Change any that are wrong."
LEAVING_KEYS = {PAUSE: "p", QUIT: "x"}
"""The keys of Pause and Quick exit in every menu: the words plain mode types, p and x."""
NO_KEY = ""
"""A choice reached with the arrow keys only (questionary shows `-)` before it)."""


def review_choices(transcript: tuple[Answered, ...]) -> list[tuple[str, str]]:
    """Return the review screen's choices: make the plan, or change answer N (numbered as the
    list of answers printed above it, so each line stays short on a narrow screen)."""
    return ([(DONE, "The answers are right: make the plan")]
            + [(a.fact, f"Change answer {n}: {a.label}") for n, a in enumerate(transcript, 1)])


def review_keys(transcript: tuple[Answered, ...]) -> dict[str, str]:
    """Return the review screen's keys: the key of "Change answer N" is N, so the number shown
    is the number pressed; 0 makes the plan. Answers from 10 on have no key of their own (one
    key cannot type 10): the arrow keys reach them."""
    keys = {DONE: "0", **LEAVING_KEYS}
    for n, answered in enumerate(transcript, 1):
        keys[answered.fact] = str(n) if n <= 9 else NO_KEY
    return keys


def choose(message: str, choices: list[tuple[str, str]]) -> str:
    """Ask the user to pick one of (value, label); return the value (QUIT on Ctrl-X)."""
    return _select(message, choices)


def notes(default: str = "") -> str:
    """Ask for optional notes for the case summary, warning against identifying details.

    Return the notes (empty for none), or QUIT when Ctrl-X is pressed. Ctrl-C raises
    InterruptedNotes carrying the text typed so far. `default`: notes kept from before.
    """
    import questionary

    _share_default_key_bindings()
    width = columns()
    sys.stdout.write(textwrap.fill(NOTES_WARNING, width) + "\n")
    question = questionary.text(wrap_message("Notes for the case record (optional, Ctrl-X "
                                             "quick exit):", width), default=default)
    _bind_quick_exit(question)
    _bind(question, ("c-c",), lambda event: event.app.exit(
        result=(_INTERRUPTED, event.app.current_buffer.text)))
    try:
        text = question.unsafe_ask()
    except EOFError:
        raise InteractiveSessionError(NO_TERMINAL) from None
    if isinstance(text, tuple) and text[:1] == (_INTERRUPTED,):
        raise InterruptedNotes(str(text[1]))
    return (text or "").strip()


_INTERRUPTED = "__interrupted__"


POINTER_AND_KEY = 6
"""Columns before a choice's words in a menu: the pointer (` » `) and the key (`1) `)."""
INSTRUCTION = "(arrow keys or the key shown, then Enter; Ctrl-X quick exit)"


def columns() -> int:
    """Return the width to wrap at: the terminal's, less one column (a character in the last
    column makes some terminals wrap early), and never under 20."""
    return max(20, shutil.get_terminal_size().columns - 1)


def wrap_label(label: str, width: int) -> str:
    """Return a menu choice wrapped at `width`, its later lines under its first word.

    prompt_toolkit cuts a menu line at the edge of the screen instead of wrapping it, so the
    words are wrapped here, between words, before the menu is drawn.
    """
    lines = textwrap.wrap(label, max(10, width - POINTER_AND_KEY), break_on_hyphens=False)
    return ("\n" + " " * POINTER_AND_KEY).join(lines) or label


def wrap_message(message: str, width: int) -> str:
    """Return a question wrapped at `width` after its `? ` mark, ending on a line of its own for
    the instruction (or the answer) that follows; prompt_toolkit would break it mid-word."""
    lines = textwrap.wrap(message, max(10, width - 2), break_on_hyphens=False)
    return "\n  ".join(lines) + "\n "


def _select(message: str, choices: list[tuple[str, str]], default: str | None = None,
            keys: dict[str, str] | None = None) -> str:
    """Ask to pick one of (value, label). `keys` gives a choice its key (NO_KEY: none); the
    others are numbered by questionary from 1, skipping the keys given."""
    import questionary

    _share_default_key_bindings()
    width = columns()
    keys = {**LEAVING_KEYS, **(keys or {})}
    shortcuts = len(choices) <= 36

    def key(value: str) -> str | bool:
        given = keys.get(value)
        if given is None:
            return True  # questionary's next free key
        return given or False

    question = questionary.select(
        wrap_message(message, width),
        choices=[questionary.Choice(title=wrap_label(label, width), value=value,
                                    shortcut_key=key(value) if shortcuts else True)
                 for value, label in choices],
        default=default,
        qmark="?",
        instruction="\n  ".join(textwrap.wrap(INSTRUCTION, width - 2)),
        use_shortcuts=shortcuts,
    )
    _bind_quick_exit(question)
    _stop_at_the_ends(question)
    try:
        picked = question.unsafe_ask()
    except EOFError:
        raise InteractiveSessionError(NO_TERMINAL) from None
    if picked is None:  # questionary returns None when the input stream ends
        raise InteractiveSessionError(NO_TERMINAL)
    return str(picked)


def _share_default_key_bindings() -> None:
    """Make every prompt_toolkit application share one set of its default key bindings.

    prompt_toolkit builds its defaults (some 600 bindings) for each application, and a
    questionary menu makes three (two only lend it their layout): 12 of the 18 ms a menu took
    to build before the first question showed. The defaults hold no state of an application
    (their filters and handlers read the application running, as prompt_toolkit's own
    example of building them once and passing them in shows), so one set serves all, built
    without Vi's (`emacs_defaults`). If prompt_toolkit no longer builds them as this
    expects, it is left as it is."""
    from prompt_toolkit.application import application
    from prompt_toolkit.key_binding import defaults

    if getattr(application, "load_key_bindings", None) is not defaults.load_key_bindings:
        return  # shared already, or prompt_toolkit works otherwise now
    shared = emacs_defaults()
    application.load_key_bindings = lambda: shared  # type: ignore[attr-defined]


def emacs_defaults() -> Any:
    """Return prompt_toolkit's default key bindings (`load_key_bindings`) less Vi's.

    Every prompt here edits in Emacs mode (prompt_toolkit's default; questionary never
    changes it), where Vi's bindings are never active (each set is conditional on Vi mode),
    and they are two thirds of the time the defaults take to build. The rest is put together
    as `load_key_bindings` does (`tests/test_startup.py` checks it against the release
    installed)."""
    from prompt_toolkit.filters import buffer_has_focus
    from prompt_toolkit.key_binding import ConditionalKeyBindings, merge_key_bindings
    from prompt_toolkit.key_binding.bindings.basic import load_basic_bindings
    from prompt_toolkit.key_binding.bindings.cpr import load_cpr_bindings
    from prompt_toolkit.key_binding.bindings.emacs import (
        load_emacs_bindings,
        load_emacs_search_bindings,
        load_emacs_shift_selection_bindings,
    )
    from prompt_toolkit.key_binding.bindings.mouse import load_mouse_bindings

    editing = merge_key_bindings([load_basic_bindings(), load_emacs_bindings(),
                                  load_emacs_search_bindings(),
                                  load_emacs_shift_selection_bindings()])
    return merge_key_bindings([ConditionalKeyBindings(editing, buffer_has_focus),
                               load_mouse_bindings(), load_cpr_bindings()])


def _bind_quick_exit(question: Any) -> None:
    """Make Ctrl-X end the prompt at once with QUIT, ahead of questionary's own keys."""
    _bind(question, ("c-x",), lambda event: event.app.exit(result=QUIT))


def _stop_at_the_ends(question: Any) -> None:
    """Make the keys that move the pointer stop at the first and last choices instead of
    going round: Up from the first choice would land on Quick exit, and an Enter pressed then
    would end the visit and delete its answers. The keys are those questionary moves with."""
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))

    def move(step: int) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            start = control.pointed_at
            at = start + step
            while 0 <= at < control.choice_count:
                control.pointed_at = at
                if control.is_selection_valid():
                    return
                at += step
            control.pointed_at = start  # nothing to stop at that way: stay
        return handler

    moves = {"move_cursor_up": -1, "move_cursor_down": 1}
    found = [(b.keys, moves[b.handler.__name__]) for b in app.key_bindings.bindings
             if getattr(b.handler, "__name__", "") in moves]
    for keys, step in found:
        _bind(question, keys, move(step))


def _bind(question: Any, keys: Sequence[Any], handler: Callable[[Any], None]) -> None:
    """Make keys (one binding: a key, or a sequence of them) run `handler` in a questionary
    prompt, ahead of questionary's own: of two eager bindings for the same keys,
    prompt_toolkit runs the one merged last."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    ours = KeyBindings()
    ours.add(*keys, eager=True)(handler)
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, ours])


def plain_wanted(flag: bool) -> bool:
    """Return True for plain mode: asked for, or a terminal that cannot draw menus (TERM=dumb)."""
    return flag or os.environ.get("TERM", "") == "dumb"


class PlainAsker:
    """Asks with numbered choices typed as numbers: no arrow keys, no colour, no redrawing.

    For screen readers, projectors and terminals that cannot draw a menu. Each question is
    written once, as lines of text, and the answer is a number and Enter.
    """

    def __init__(self, write: Callable[[str], object] = print, read: Callable[[str], str] = input,
                 ended: str = NO_TERMINAL, saving: bool | None = None) -> None:
        self.write = write
        self.read = read
        self.ended = ended  # the message when the input ends before an answer
        # None: no way to leave but Ctrl-C (the quiz); True: pause and quick exit; False: quick
        # exit only (nothing is saved, so there is nothing to pause).
        self.saving = saving

    def ask(self, question: Question, can_go_back: bool, current: str | None = None) -> str:
        back = None
        if current is not None:
            back = f"Keep the answer as it was ({dict(question.options).get(current, current)})"
        elif can_go_back:
            back = "Go back to the previous question"
        return self._pick(question.text, list(question.options), back)

    def review(self, transcript: tuple[Answered, ...]) -> str:
        """Number each "Change answer N" as N (0 makes the plan), as the answers are numbered."""
        done, *changes = review_choices(transcript)
        picked = self._pick(REVIEW_QUESTION, changes, done[1], zero_first=True)
        return DONE if picked == BACK else picked

    def choose(self, message: str, choices: list[tuple[str, str]]) -> str:
        """Ask to pick one of (value, label); return the value, or QUIT for the quick exit."""
        return self._pick(message, choices, None)

    def notes(self, default: str = "") -> str:
        """Ask for the case summary's notes as one line (plain mode has no editor): return them
        (empty for none), or QUIT for the quick exit, x then Enter as at every plain question.
        Enter alone keeps `default`, the notes kept from before, and so does input that ends
        here (the notes are optional: the plan is made, so the summary is still written)."""
        width = min(columns(), 99)
        self.write("")
        self.write(textwrap.fill(NOTES_WARNING, width))
        if default:
            self.write(textwrap.fill(f"Notes kept from before: {escape(default)}", width))
            self.write(textwrap.fill("Enter alone keeps them; anything you type replaces them.", width))
        self.write(textwrap.fill(PLAIN_QUICK_EXIT if not self.saving else PLAIN_NOTES_EXIT, width))
        try:
            typed = self.read("Notes for the case record (optional), then Enter: ").strip()
        except (EOFError, RuntimeError):  # RuntimeError: input() with stdin closed
            return default
        if typed.lower() in QUICK_EXIT_WORDS:
            return QUIT
        return typed or default

    def _pick(self, text: str, choices: list[tuple[str, str]], back: str | None,
              zero_first: bool = False) -> str:
        """Write the numbered choices (0 for `back`, first or last), read a number; return the
        chosen value (BACK for 0)."""
        width = min(columns(), 99)
        lines = [textwrap.fill(f"{n}. {label}", width, initial_indent="  ", subsequent_indent="     ")
                 for n, (_, label) in enumerate(choices, 1)]
        if back:
            zero = textwrap.fill(f"0. {back}", width, initial_indent="  ", subsequent_indent="     ")
            lines = [zero, *lines] if zero_first else [*lines, zero]
        self.write("")
        self.write(textwrap.fill(text, width))
        for line in lines:
            self.write(line)
        if self.saving is not None:
            self.write(textwrap.fill(PLAIN_LEAVING if self.saving else PLAIN_QUICK_EXIT, width))
        first = 0 if back else 1
        while True:
            try:
                typed = self.read(f"Type a number from {first} to {len(choices)}, then Enter: ").strip()
            except (EOFError, RuntimeError):  # RuntimeError: input() with stdin closed
                raise InteractiveSessionError(self.ended) from None
            if self.saving is not None and typed.lower() in QUICK_EXIT_WORDS:
                return QUIT
            if self.saving and typed.lower() in PAUSE_WORDS:
                return PAUSE
            if typed == "0" and back:
                return BACK
            if typed.isdigit() and 1 <= int(typed) <= len(choices):
                return choices[int(typed) - 1][0]
            self.write(f"'{escape(typed[:20])}' is not one of the numbers.")


class ScriptedAsker:
    """Answers from a list, in order: for tests and demonstrations (the review screen too)."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)

    def ask(self, question: Question, can_go_back: bool, current: str | None = None) -> str:
        return self._next(question.fact)

    def review(self, transcript: tuple[Answered, ...]) -> str:
        return self._next("the review screen")

    def _next(self, what: str) -> str:
        if not self.answers:
            raise InteractiveSessionError(f"no scripted answer left for {what}")
        return self.answers.pop(0)


STOP = "stop"
"""Returned by `wait_for_enter` when the user stops (q), the input ended, or stdin is closed."""


def wait_for_enter(prompt: str) -> str:
    """Wait for Enter; return "" to go on, STOP (q, or the input ended) or QUIT (x: the quick
    exit, which also clears the screen).

    A plain line read on purpose: a walk-through only needs Enter, and this keeps it usable on
    screen readers and projectors. Ctrl-C stays a KeyboardInterrupt (exit 130), even when it
    comes just as the prompt is shown (see `_read_line`).
    """
    sys.stdout.write(prompt)
    sys.stdout.flush()
    try:
        typed = _read_line().strip().lower()
    except (EOFError, ValueError):  # ValueError: stdin closed
        return STOP
    if typed in QUICK_EXIT_WORDS:
        return QUIT
    return STOP if typed in ("q", "quit", *PAUSE_WORDS) else ""


def _read_line() -> str:
    """Return a line of standard input; EOFError when it has ended or is closed.

    Python turns Ctrl-C into KeyboardInterrupt between two steps of Python code: a Ctrl-C that
    arrives after the prompt is shown but before a blocking read has begun would wait for the
    next key (on a loaded machine the gap is long enough to hit). So on a terminal, wait in
    short `select` calls, each of which gives Python its chance, and read once a line is there.
    """
    if sys.stdin is None or sys.stdin.closed:
        raise EOFError
    if os.name == "posix" and sys.stdin.isatty():
        import select

        while not select.select([sys.stdin], [], [], 0.2)[0]:
            pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line
