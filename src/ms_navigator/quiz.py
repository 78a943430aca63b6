"""Quiz mode for Level 2 training: at each decision in a scenario, what does the pathway have you do?

Pure. A decision is a question of the walk-through whose answers lead to different places.
The trainee is told the answer the case gives and picks, from the places the answers lead, the
one the pathway takes; the feedback cites the protocol section and source. Choices come from
the engine's own branches, so the quiz can never disagree with the tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from ms_navigator import engine, walkthrough

PROMPT = "What does the pathway have you do now?"


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

        The labels are short ("Choice 1"): the choices themselves are long, so they are shown
        as a wrapped, numbered list above the prompt rather than inside a menu.
        """
        q = self.frame.question
        return engine.Question(q.pathway, q.section, q.node, q.fact, PROMPT, q.why, None, q.source,
                               tuple((str(i), f"Choice {i + 1}") for i in range(len(self.choices))))


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def describe(branch: walkthrough.Branch) -> str:
    """Return where an answer leads, as an instruction: the steps it adds, then what comes next."""
    parts = [_first_sentence(s.text) for s in branch.adds_steps]
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
