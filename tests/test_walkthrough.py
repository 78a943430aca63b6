"""Walk-throughs: a scenario replayed question by question, with where every answer leads."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_navigator import scenarios, walkthrough

SHIPPED, _ = scenarios.load([scenarios.shipped_dir()])


def build(pack, name: str) -> walkthrough.Walkthrough:
    return walkthrough.build(pack, scenarios.find(name)[0])


def test_each_frame_shows_every_answer_and_where_it_leads(pack) -> None:
    walk = build(pack, "child-age-unsure")
    first, second, third, fourth = walk.frames
    assert first.question.fact == "immediate_danger" and first.chosen == "yes"
    yes, no = first.branches
    assert yes.chosen and [s.id for s in yes.adds_steps] == ["call_999"]
    assert yes.next_question == no.next_question == "Could the person be under 18?"
    assert not no.chosen and no.adds_steps == ()
    by_value = {b.value: b for b in second.branches}
    assert by_value["unsure"].chosen
    assert by_value["unsure"].next_question == by_value["no"].next_question == (
        "Which organisation are you working for?")
    by_value = {b.value: b for b in third.branches}
    assert by_value["general"].chosen
    assert by_value["general"].next_question == " ".join(
        pack.pathway("nrm-pre").node("q_criminal_exploitation").text.split())
    assert "safeguarding_children" in [s.id for s in by_value["general"].adds_steps]
    by_value = {b.value: b for b in fourth.branches}
    assert by_value["no"].chosen and by_value["no"].next_question is None
    assert [s.id for s in by_value["yes"].adds_steps] == ["statutory_defence"]
    assert by_value["no"].adds_steps == ()
    assert walk.plan.step_ids()[0] == "call_999"


def test_sam_and_holly_contrast_turns_on_the_care_and_support_answer(pack) -> None:
    green, red = build(pack, "sam-holly-shared-concerns"), build(pack, "sam-holly-no-action")
    assert "safeguarding_adults" in green.plan.step_ids()
    assert "safeguarding_adults" not in red.plan.step_ids()
    frame = next(f for f in red.frames if f.question.fact == "care_support_needs")
    unsure = next(b for b in frame.branches if b.value == "unsure")
    assert "safeguarding_adults" in [s.id for s in unsure.adds_steps]
    assert "red story" in (frame.note or "")


@pytest.mark.parametrize(("scenario", "path"), SHIPPED, ids=[s.id for s, _ in SHIPPED])
def test_every_note_is_shown_at_a_question_on_the_walk(pack, scenario, path) -> None:
    assert walkthrough.unused_notes(walkthrough.build(pack, scenario)) == []


def test_walk_command_prints_each_question_then_the_plan_and_ending(cli) -> None:
    out = cli("walk", "sam-holly-shared-concerns", "--no-pause").stdout
    assert out.index("Question 1 of") < out.index("Question 8 of") < out.index("THE PLAN THESE ANSWERS LEAD TO")
    assert "> Not sure (this scenario's answer)" in out
    assert "Story: " in out and "HOW THE STORY ENDS" in out
    assert "Because: " in out


def test_walk_accepts_a_scenario_file(cli, tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text("id: mine\ntitle: Mine\ndescription: A test.\nsource: Protocol 4.1\n"
                    "given: {immediate_danger: 'no', under_18: 'yes', organisation: general,"
                    " criminal_exploitation: 'no'}\nexpect: {}\n"
                    "notes: {under_18: The person says they are 16.}\n")
    out = cli("walk", str(file), "--no-pause").stdout
    assert "Story: The person says they are 16." in out


def test_unknown_scenario_and_incomplete_answers_are_clear_errors(cli, tmp_path: Path) -> None:
    assert "there is no scenario 'nope'" in cli("walk", "nope", code=2).stderr
    file = tmp_path / "short.yaml"
    file.write_text("id: short\ntitle: Short\ndescription: A test.\nsource: Protocol 4.1\n"
                    "given: {immediate_danger: 'no'}\nexpect: {}\n")
    assert "under_18" in cli("walk", str(file), "--no-pause", code=2).stderr
    assert "no scenario file" in cli("walk", str(tmp_path / "gone.yaml"), code=2).stderr


def test_pausing_waits_for_enter_and_q_stops(cli) -> None:
    out = cli("walk", "child-age-unsure", "--pause", stdin="\nq\n").stdout
    assert "Question 1 of 4" in out and "Question 2 of 4" not in out
