"""Menus wrapped between words before prompt_toolkit draws them, and the review screen's keys."""

from __future__ import annotations

from ms_navigator import prompts
from ms_navigator.engine import Answered


def test_a_long_choice_wraps_under_its_first_word_and_keeps_every_word() -> None:
    label = "Yes: someone is at risk of harm now, and the police have not been called yet"
    wrapped = prompts.wrap_label(label, 40)
    lines = wrapped.split("\n")
    assert len(lines) > 1
    assert all(len(line) + prompts.POINTER_AND_KEY <= 40 for line in lines[:1])
    assert all(line.startswith(" " * prompts.POINTER_AND_KEY) and len(line) <= 40 for line in lines[1:])
    assert " ".join(wrapped.split()) == label


def test_a_question_wraps_after_its_mark_and_ends_on_its_own_line() -> None:
    text = "Is the person, or anyone else, at risk of immediate harm right now?"
    wrapped = prompts.wrap_message(text, 40)
    assert wrapped.endswith("\n ") and " ".join(wrapped.split()) == text
    assert all(len(line) <= 38 for line in wrapped.split("\n"))


def answered(n: int) -> tuple[Answered, ...]:
    return tuple(Answered("p", f"q{i}", f"Question {i}?", f"fact_{i}", "yes", "Yes") for i in range(1, n + 1))


def test_review_keys_are_the_answer_numbers_and_answers_from_10_have_none() -> None:
    keys = prompts.review_keys(answered(11))
    assert keys[prompts.DONE] == "0"
    assert [keys[f"fact_{i}"] for i in range(1, 10)] == [str(i) for i in range(1, 10)]
    assert keys["fact_10"] == keys["fact_11"] == prompts.NO_KEY
    assert keys[prompts.PAUSE] == "p" and keys[prompts.QUIT] == "x"


def test_plain_review_numbers_each_change_as_its_answer() -> None:
    shown: list[str] = []
    typed = ["2"]
    asker = prompts.PlainAsker(write=shown.append, read=lambda _: typed.pop(0))
    assert asker.review(answered(3)) == "fact_2"
    lines = [line.strip() for line in shown if line.strip()[:2].rstrip(".").isdigit()]
    assert lines[0].startswith("0. The answers are right")
    assert lines[1:] == ["1. Change answer 1: Yes", "2. Change answer 2: Yes", "3. Change answer 3: Yes"]
    typed.append("0")
    assert asker.review(answered(3)) == prompts.DONE
