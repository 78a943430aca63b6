"""Projector and screen-reader use: plain numbered questions, no colour, wrapped at the screen's width."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from ms_navigator import engine, prompts, scenarios, walkthrough
from ms_navigator.errors import InteractiveSessionError
from ms_navigator.render import terminal
from tests.helpers import plan_for


def question(pack):
    return engine.walk(pack, engine.start(pack)).pending


def plain_asker(typed: list[str]) -> tuple[prompts.PlainAsker, list[str]]:
    shown: list[str] = []

    def read(prompt: str) -> str:
        shown.append(prompt)
        if not typed:
            raise EOFError
        return typed.pop(0)

    return prompts.PlainAsker(write=shown.append, read=read), shown


def test_plain_asker_numbers_the_choices_and_reads_a_number(pack) -> None:
    asker, shown = plain_asker(["2"])
    assert asker.ask(question(pack), can_go_back=False) == "no"
    assert "  1. Yes: someone is at risk of harm now" in shown
    assert "  2. No immediate danger" in shown
    assert not any("Go back" in line for line in shown)


def test_plain_asker_asks_again_after_a_wrong_number_and_offers_back(pack) -> None:
    asker, shown = plain_asker(["7", "yes", "0"])
    assert asker.ask(question(pack), can_go_back=True) == prompts.BACK
    assert "'7' is not one of the numbers." in shown and "'yes' is not one of the numbers." in shown


def test_plain_asker_turns_closed_input_into_a_clear_error(pack) -> None:
    asker, _ = plain_asker([])
    with pytest.raises(InteractiveSessionError):
        asker.ask(question(pack), can_go_back=False)


def test_start_plain_runs_from_typed_numbers_without_colour(cli) -> None:
    out = cli("start", "--plain", stdin="2\n1\n1\n2\n0\n").stdout
    assert "RECOMMENDED STEPS" in out and "children's social care now" in out
    assert "\x1b[" not in out


def test_term_dumb_switches_plain_mode_on(cli) -> None:
    result = cli.runner.invoke(__import__("ms_navigator.cli").cli.app, ["start"], input="2\n1\n1\n2\n0\n",
                               env={"TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    assert "  1. Yes, under 18" in result.stdout


def test_plain_mode_does_not_need_a_terminal_but_needs_answers(cli) -> None:
    result = cli("start", "--plain", stdin="2\n", code=2)
    assert "--answers" in result.stderr and "Traceback" not in result.stderr


def lines_at_80(renderable: object) -> list[str]:
    buffer = io.StringIO()
    Console(file=buffer, width=80, no_color=True, highlight=False).print(renderable)
    return buffer.getvalue().splitlines()


def test_plan_walk_and_tree_fit_80_columns_without_cutting_words(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "yes", "under_18": "no", "organisation": "general", "care_support_needs": "unsure",
                           "nrm_status": "unknown", "has_capacity": "yes", "consent_nrm": "yes",
                           "first_responder": "no", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "other",
                           "housing_situation": "at_risk", "housing_eligibility": "unsure"})
    walk = walkthrough.build(pack, scenarios.find("sam-holly-shared-concerns")[0])
    shown = [terminal.plan(plan, explain=True), terminal.walk_end(walk),
             terminal.pathway_tree(pack, pack.pathway("nrm-pre"))]
    shown += [terminal.walk_frame(f, len(walk.frames)) for f in walk.frames]
    for renderable in shown:
        lines = lines_at_80(renderable)
        assert max(len(line) for line in lines) <= 80
        assert not any("…" in line for line in lines), "text was cut off"


def test_meaning_is_in_words_not_only_colour(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "yes", "under_18": "yes", "organisation": "general",
                           "criminal_exploitation": "no"})
    text = "\n".join(lines_at_80(terminal.plan(plan)))
    assert "1. Now: Call 999" in text  # urgency in words, not just red
    walk = walkthrough.build(pack, scenarios.find("child-age-unsure")[0])
    frame = "\n".join(lines_at_80(terminal.walk_frame(walk.frames[0], 2)))
    assert "> Yes: someone is at risk of harm now (this scenario's answer)" in frame


def test_plain_notes_keep_what_was_written_before_when_enter_or_the_input_ends() -> None:
    """Notes are optional: Enter alone, or input that ends at them, keeps the notes written
    before (so the summary is still written); x is the quick exit; text replaces them."""
    def asker(*typed: str) -> prompts.PlainAsker:
        lines = iter(typed)

        def read(_: str) -> str:
            try:
                return next(lines)
            except StopIteration:
                raise EOFError from None
        return prompts.PlainAsker(write=lambda _: None, read=read, saving=True)

    assert asker("").notes("Interpreter booked.") == "Interpreter booked."
    assert asker().notes("Interpreter booked.") == "Interpreter booked."
    assert asker().notes() == ""
    assert asker("x").notes("Interpreter booked.") == prompts.QUIT
    assert asker("  Second visit on Friday. ").notes("Interpreter booked.") == "Second visit on Friday."
