"""Quiz mode: decisions from a scenario, marked against the pathway, with sources and a score."""

from __future__ import annotations

from ms_navigator import quiz, scenarios, walkthrough


def items_for(pack, name: str) -> list[quiz.Item]:
    return quiz.items(walkthrough.build(pack, scenarios.find(name)[0]))


def test_decisions_are_questions_whose_answers_lead_to_different_places(pack) -> None:
    # The age question is not a decision here: every answer goes on to the organisation question.
    danger, organisation, crime = items_for(pack, "child-age-unsure")
    assert [c.values for c in danger.choices] == [("yes",), ("no",)]
    assert danger.correct == 0
    assert danger.choices[0].text.startswith(" ".join(pack.steps["call_999"].summary.split()))
    # General and Adult Social Care lead to the same steps for a child, so they are one choice.
    assert [c.values for c in organisation.choices] == [
        ("general", "adult_social_care"), ("nhs",), ("childrens_services",), ("trading_standards",)]
    assert organisation.correct == 0
    assert organisation.choices[0].text.endswith("Then ask: " + " ".join(
        pack.pathway("nrm-pre").node("q_criminal_exploitation").text.split()))
    # The last decision: only "Yes, or not known" adds the statutory defence.
    assert [c.values for c in crime.choices] == [("yes",), ("no",)]
    assert crime.correct == 1
    assert crime.choices[0].text.startswith(" ".join(pack.steps["statutory_defence"].summary.split()))
    assert crime.choices[1].text.endswith("Then the plan is complete.")


def test_score_counts_right_picks_and_names_sections_to_review(pack) -> None:
    danger, organisation, crime = items_for(pack, "child-age-unsure")
    result = quiz.score([(danger, 0), (organisation, 1), (crime, 1)])
    assert (result.right, result.total) == (2, 3)
    assert result.review == ("4.1: Which organisation are you working for?",)


def test_as_question_numbers_the_choices_for_any_asker(pack) -> None:
    item = items_for(pack, "child-age-unsure")[0]
    question = item.as_question()
    assert question.text == quiz.PROMPT and question.values() == ["0", "1"]
    assert question.section == "4.1"


def test_quiz_command_marks_each_decision_and_scores(cli) -> None:
    out = cli("quiz", "child-age-unsure", "--plain", stdin="1\n2\n2\n").stdout
    assert out.count("Right: that is what the pathway does.") == 2
    assert "Not quite. The pathway does this:" in out
    assert "Protocol 4.1 (Initial Identification & Safeguarding). Source:" in out
    assert "2 of 3 decisions as the pathway makes them." in out
    assert "Protocol 4.1: Which organisation are you working for?" in out


def test_quiz_without_a_scenario_takes_the_first_listed_every_time(cli) -> None:
    first = cli("scenarios").stdout.split()[0]
    title = scenarios.find(first)[0].title
    for _ in range(2):  # the same one each time: a trainer can plan the session
        out = cli("quiz", "--plain", stdin="1\n" * 40).stdout
        assert out.startswith(f"QUIZ: {title.upper()}"[:30])
        assert "decisions as the pathway makes them." in out


def test_choices_are_lettered_and_short_in_the_menu(pack) -> None:
    item = items_for(pack, "child-age-unsure")[1]
    labels = [label for _, label in item.as_question().options]
    assert [label[:3] for label in labels] == ["A. ", "B. ", "C. ", "D. "]
    assert all(len(label) <= quiz.MENU_LABEL for label in labels)
    assert any(label.endswith("…") for label in labels)  # long choices are cut at a word


def test_hide_answer_waits_for_the_reveal(cli) -> None:
    out = cli("quiz", "child-age-unsure", "--plain", "--hide-answer", stdin="1\n1\n2\n1\n2\n1\n").stdout
    picked, rest = out.split("Picked: A.", 1)
    assert "Right:" not in picked and "Not quite" not in picked
    assert rest.index(quiz.REVEAL) < rest.index("Right: that is what the pathway does.")
    assert "Picked: B." in rest and "2 of 3 decisions" in rest


def test_from_starts_at_a_later_decision_and_checks_the_number(cli) -> None:
    out = cli("quiz", "child-age-unsure", "--plain", "--from", "2", stdin="1\n2\n").stdout
    assert "Decision 1 of 3" not in out and "Decision 2 of 3" in out
    assert "2 of 2 decisions" in out
    assert "this quiz has 3 decision(s)" in cli("quiz", "child-age-unsure", "--from", "4",
                                                  code=2).stderr


def test_scenarios_lists_every_shipped_scenario_in_a_fixed_order(cli) -> None:
    import json

    shipped = sorted(s.id for s, _ in scenarios.load([scenarios.shipped_dir()])[0])
    text = cli("scenarios").stdout.splitlines()
    assert [line.split()[0] for line in text] == shipped
    rows = json.loads(cli("scenarios", "--format", "json").stdout)
    assert [r["id"] for r in rows] == shipped
    assert all(r["title"] and r["description"] and r["file"].endswith(".yaml") for r in rows)


def test_quiz_needs_answers_or_a_terminal(cli) -> None:
    assert "ms-navigator quiz asks" in cli("quiz", "child-age-unsure", code=2).stderr
    ended = cli("quiz", "child-age-unsure", "--plain", stdin="1\n", code=2).stderr
    assert "--plain" in ended and "Traceback" not in ended
