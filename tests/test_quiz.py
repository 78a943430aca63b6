"""Quiz mode: decisions from a scenario, marked against the pathway, with sources and a score."""

from __future__ import annotations

from ms_navigator import quiz, scenarios, walkthrough


def items_for(pack, name: str) -> list[quiz.Item]:
    return quiz.items(walkthrough.build(pack, scenarios.find(name)[0]))


def test_decisions_are_questions_whose_answers_lead_to_different_places(pack) -> None:
    danger, age = items_for(pack, "child-age-unsure")
    assert [c.values for c in danger.choices] == [("yes",), ("no",)]
    assert danger.correct == 0 and danger.choices[0].text.startswith("Call 999 now.")
    # "yes" and "unsure" lead to the same steps, so they are one choice, not two.
    assert [c.values for c in age.choices] == [("yes", "unsure"), ("no",)]
    assert age.correct == 0
    assert age.choices[1].text == ("Nothing to do yet. Then ask: Does the person appear to have "
                                   "needs for care and support?")


def test_score_counts_right_picks_and_names_sections_to_review(pack) -> None:
    danger, age = items_for(pack, "child-age-unsure")
    result = quiz.score([(danger, 0), (age, 1)])
    assert (result.right, result.total) == (1, 2)
    assert result.review == ("4.1: Could the person be under 18?",)


def test_as_question_numbers_the_choices_for_any_asker(pack) -> None:
    item = items_for(pack, "child-age-unsure")[0]
    question = item.as_question()
    assert question.text == quiz.PROMPT and question.values() == ["0", "1"]
    assert question.section == "4.1"


def test_quiz_command_marks_each_decision_and_scores(cli) -> None:
    out = cli("quiz", "child-age-unsure", "--plain", stdin="1\n2\n").stdout
    assert out.count("Right: that is what the pathway does.") == 1
    assert "Not quite. The pathway does this:" in out
    assert "Protocol 4.1 (identification). Source:" in out
    assert "1 of 2 decisions as the pathway makes them." in out
    assert "Protocol 4.1: Could the person be under 18?" in out


def test_quiz_without_a_scenario_picks_a_shipped_one(cli) -> None:
    out = cli("quiz", "--plain", stdin="1\n" * 40).stdout
    shipped = [s.title for s, _ in scenarios.load([scenarios.shipped_dir()])[0]]
    heading = " ".join(out.split("\nThe question:")[0].split("\n")[0:3])
    assert any(f"QUIZ: {title.upper()}"[:40] in heading for title in shipped)
    assert "decisions as the pathway makes them." in out


def test_quiz_needs_answers_or_a_terminal(cli) -> None:
    assert "ms-navigator quiz asks" in cli("quiz", "child-age-unsure", code=2).stderr
    ended = cli("quiz", "child-age-unsure", "--plain", stdin="1\n", code=2).stderr
    assert "--plain" in ended and "Traceback" not in ended
