"""Quiz mode for Level 2 training: at each decision in a scenario, what does the pathway have you do?

Pure. A decision is a question of the walk-through whose answers lead to different places.
The trainee is told the answer the case gives and picks, from the places the answers lead, the
one the pathway takes; the feedback cites the protocol section and source. Choices come from
the engine's own branches, so the quiz can never disagree with the tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from ms_navigator import engine, walkthrough, wording

PROMPT = "What does the pathway have you do now?"
REVEAL = "Reveal the pathway's answer when the room has chosen."
MENU_LABEL = 64
"""Longest choice label in the menu: the full choice is printed above it."""


def letter(index: int) -> str:
    """Return a choice's letter (A, B, ...): a room votes on letters, not long sentences."""
    return chr(ord("A") + index)


@dataclass(frozen=True)
class Choice:
    """One possible course of action, and the answers to the question that lead to it."""

    text: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One decision: the walk-through frame, the choices, and which choice is right."""

    frame: walkthrough.Frame
    choices: tuple[Choice, ...]
    correct: int

    def as_question(self) -> engine.Question:
        """Return the decision as a question any asker can put: values are choice indexes.

        The labels are short ("A. Call 999 now. Then ask: ..."), cut to fit one line of a menu;
        the whole choice is printed, lettered, above the prompt.
        """
        q = self.frame.question
        return engine.Question(q.pathway, q.section, q.node, q.fact, PROMPT, q.why, None, q.source,
                               tuple((str(i), wording.cut(f"{letter(i)}. {c.text}", MENU_LABEL))
                                     for i, c in enumerate(self.choices)))


def reveal_question(item: Item) -> engine.Question:
    """Return the trainer's prompt to reveal the answer: one choice (the askers add Pause and Quick exit)."""
    q = item.frame.question
    return engine.Question(q.pathway, q.section, q.node, q.fact, REVEAL, None, None, q.source,
                           (("reveal", "Reveal the answer"),))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "…", "?", "!")) else text + "."


def describe(branch: walkthrough.Branch) -> str:
    """Return where an answer leads, as an instruction: the steps it adds, then what comes next."""
    parts = [_sentence(wording.step_summary(s, limit=1000)) for s in branch.adds_steps]
    then = (f"Then ask: {branch.next_question}" if branch.next_question
            else "Then the plan is complete.")
    return " ".join(parts + [then]) if parts else f"Nothing to do yet. {then}"


def items(walk: walkthrough.Walkthrough) -> list[Item]:
    """Return the decisions of a walk-through (questions whose answers lead to different places)."""
    found = []
    for frame in walk.frames:
        grouped: dict[str, list[str]] = {}
        for branch in frame.branches:
            grouped.setdefault(describe(branch), []).append(branch.value)
        if len(grouped) < 2:
            continue
        choices = tuple(Choice(text, tuple(values)) for text, values in grouped.items())
        correct = next(i for i, c in enumerate(choices) if frame.chosen in c.values)
        found.append(Item(frame, choices, correct))
    return found


@dataclass(frozen=True)
class Score:
    """How many decisions the trainee got right, and the sections to revisit."""

    right: int
    total: int
    review: tuple[str, ...]  # "4.2.1: <question>" for each decision got wrong


def score(marked: list[tuple[Item, int]]) -> Score:
    """Return the score for (item, picked choice) pairs."""
    wrong = [item for item, picked in marked if picked != item.correct]
    return Score(len(marked) - len(wrong), len(marked),
                 tuple(f"{i.frame.question.section}: {i.frame.question.text}" for i in wrong))
