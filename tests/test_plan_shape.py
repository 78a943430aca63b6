"""The plan's shape (CONTRACT section 3): `do_first`, a summary for every step, steps grouped by
when and ordered by what must come first, on every path; and the now-steps shown at once."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from ms_navigator import engine, interactive, lint, loader, model, visit
from ms_navigator.prompts import BACK, DONE, ScriptedAsker
from ms_navigator.render import markdown, terminal
from ms_navigator.render.output import plan_text
from tests.helpers import edit, every_path, line_of, plan_for, session_with, tiny_pack

TODAY = date(2026, 11, 23)
RANK = {u: i for i, u in enumerate(model.Urgency)}
DANGER_ADULT = {"immediate_danger": "yes", "under_18": "no", "organisation": "general",
                "care_support_needs": "yes", "nrm_status": "unknown", "has_capacity": "yes",
                "consent_nrm": "yes", "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "female",
                "housing_situation": "housed"}


def starts(pack: model.Pack) -> list[str]:
    return pack.starts


# --- The JSON shape --------------------------------------------------------------------------


def test_json_plan_has_the_contract_keys_and_step_fields(cli, tmp_path: Path) -> None:  # noqa: ANN001
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(DANGER_ADULT))
    plan = json.loads(cli("start", "--answers", str(answers), "--format", "json").stdout)
    assert list(plan)[:6] == ["facts", "pathways", "do_first", "steps", "services", "guidance"]
    assert {"facts", "pathways", "do_first", "steps", "services", "transcript"} <= set(plan)
    for step in plan["steps"]:
        assert list(step)[:5] == ["id", "summary", "text", "urgency", "source"]
        assert all(isinstance(step[k], str) and step[k] for k in ("id", "summary", "text", "source"))
    ids = [s["id"] for s in plan["steps"]]
    assert plan["do_first"][0] == "call_999" and ids[0] == "call_999"
    assert set(plan["do_first"]) <= set(ids) and 1 <= len(plan["do_first"]) <= 5


# --- do_first and the order, on every path of every start ------------------------------------


@pytest.mark.parametrize("start", starts(loader.load_pack_or_raise()))
def test_do_first_and_order_hold_on_every_path(pack: model.Pack, start: str) -> None:
    checked = 0
    for outcome in every_path(pack, start):
        plan = outcome.plan
        ids = plan.step_ids()
        where = f"from {start} with {dict(outcome.answers)}"
        assert len(plan.do_first) <= 5, where
        assert set(plan.do_first) <= set(ids) and len(set(plan.do_first)) == len(plan.do_first), where
        if "call_999" in ids:
            assert plan.do_first[0] == "call_999" and ids[0] == "call_999", where
        # In the order to do them: the plan's own order.
        assert sorted(plan.do_first, key=ids.index) == list(plan.do_first), where
        # Every step to do now is among the steps to do first, before any other.
        nows = [s.step.id for s in plan.steps if s.step.urgency is model.Urgency.NOW]
        assert list(plan.do_first[: len(nows)]) == nows, where
        # Grouped by when (the first step aside), then what must come first comes first.
        ranks = [RANK[s.step.urgency] for s in plan.steps if s.step.id != "call_999"]
        assert ranks == sorted(ranks), where
        for s in plan.steps:
            for before in s.step.after:
                if before in ids and pack.steps[before].urgency is s.step.urgency:
                    assert ids.index(before) < ids.index(s.step.id), (where, before, s.step.id)
        checked += 1
    assert checked > 0


def test_the_nrm_status_is_found_out_before_the_referral(pack: model.Pack) -> None:
    ids = plan_for(pack, DANGER_ADULT).step_ids()
    assert ids.index("confirm_nrm_status") < ids.index("refer_nrm")
    assert pack.steps["refer_nrm"].after[:1] == ["confirm_nrm_status"]


def test_do_first_is_the_policy_not_code(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    answers = {"immediate_danger": "yes", "under_18": "yes", "nrm_status": "unknown",
               "gender": "female"}
    plan = plan_for(loader.load_pack_or_raise(root), answers)
    assert plan.do_first[0] == "call_999" and len(plan.do_first) > 1
    edit(root / "directory" / "policy.yaml", "do_first: {most: 5, urgencies: [now, today]}",
         "do_first: {most: 1, urgencies: [now]}")
    assert plan_for(loader.load_pack_or_raise(root), answers).do_first == ("call_999",)


def test_after_orders_steps_of_the_same_urgency(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    answers = {"immediate_danger": "no", "under_18": "yes", "nrm_status": "unknown",
               "gender": "female"}
    steps = root / "directory" / "steps.yaml"
    pack = loader.load_pack_or_raise(root)
    ids = plan_for(pack, answers).step_ids()
    assert {"refer_nrm", "confirm_nrm_status"} <= set(ids)
    assert ids.index("confirm_nrm_status") < ids.index("refer_nrm")
    edit(steps, "    after: [confirm_nrm_status]\n", "")
    edit(steps, "    text: Find out where the person is in the NRM.\n",
         "    text: Find out where the person is in the NRM.\n    after: [refer_nrm]\n")
    ids = plan_for(loader.load_pack_or_raise(root), answers).step_ids()
    assert ids.index("refer_nrm") < ids.index("confirm_nrm_status")


def _found(root: Path, rule: str) -> list[tuple[str, int, str]]:
    return [(Path(p.path).name, p.line, p.message) for p in lint.lint_pack(root, TODAY)
            if p.rule == rule]


def test_lint_refuses_a_circle_of_after_and_waiting_for_a_less_urgent_step(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    steps = root / "directory" / "steps.yaml"
    edit(steps, "    text: Find out where the person is in the NRM.\n",
         "    text: Find out where the person is in the NRM.\n    after: [refer_nrm]\n")
    found = _found(root, "step-order")
    assert [(name, line) for name, line, _ in found] == [
        ("steps.yaml", line_of(steps, "after: [confirm_nrm_status]")),
        ("steps.yaml", line_of(steps, "after: [refer_nrm]"))]
    assert "each wait for the other" in found[0][2]
    root = tiny_pack(tmp_path / "second")
    steps = root / "directory" / "steps.yaml"
    edit(steps, "    text: Safeguard the child.\n", "    text: Safeguard the child.\n"
         "    after: [refer]\n")
    [(_, line, message)] = _found(root, "step-order")
    assert line == line_of(steps, "after: [refer]") and "less urgent" in message


def test_after_naming_no_step_is_an_unknown_step(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    steps = root / "directory" / "steps.yaml"
    edit(steps, "after: [confirm_nrm_status]", "after: [confirm_nrm_stat]")
    [(name, line, message)] = _found(root, "unknown-step")
    assert (name, line) == ("steps.yaml", line_of(steps, "confirm_nrm_stat"))
    assert "Did you mean 'confirm_nrm_status'?" in message


# --- Summaries -------------------------------------------------------------------------------


def test_every_step_has_a_one_sentence_summary_that_says_what_to_do(pack: model.Pack) -> None:
    for step in pack.steps.values():
        summary = " ".join(step.summary.split())
        assert summary[0].isupper() and summary.endswith("."), step.id
        assert not re.search(r"[.!?] [A-Z]", summary), (step.id, "one sentence")
        assert len(summary.split()) <= 30, step.id
        assert summary != " ".join(step.text.split()), (step.id, "the text is the detail")


def test_a_step_without_a_summary_is_a_schema_error(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    steps = root / "directory" / "steps.yaml"
    edit(steps, "    summary: Refer the person.\n", "")
    found = [p for p in lint.lint_pack(root, TODAY) if p.rule == "schema"]
    assert [(Path(p.path).name, "summary" in p.message) for p in found] == [("steps.yaml", True)]


# --- The plan on screen, in a file and in Markdown -------------------------------------------


def test_the_text_plan_starts_and_ends_with_what_to_do_first(pack: model.Pack) -> None:
    plan = plan_for(pack, DANGER_ADULT)
    lines = [line for line in plan_text(plan, "text").splitlines() if line.strip()]
    assert lines[:2] == ["RECOMMENDED STEPS", "Do first"]
    assert lines[2].lstrip().startswith("1. Now: Call 999 now")  # the now-steps head the plan
    recap = lines.index("DO FIRST")
    assert lines.index("ANSWERS GIVEN") < recap
    assert any(line.startswith("Each step's detail and legal basis")
               for line in lines[lines.index("ANSWERS GIVEN"):recap])
    tail = " ".join(" ".join(lines[recap + 1:]).split())  # the last lines on screen
    assert tail == " ".join(f"{n}. {model.URGENCY_LABELS[s.step.urgency]}: "
                            f"{' '.join(s.step.summary.split())}"
                            for n, s in enumerate(plan.first_steps(), 1))


def test_detail_and_basis_are_folded_unless_explained(pack: model.Pack) -> None:
    plan = plan_for(pack, DANGER_ADULT)
    step = pack.steps["confirm_nrm_status"]
    detail = "Until you know, the services listed are those open at every stage."
    short = " ".join(plan_text(plan, "text", width=200).split())
    assert " ".join(step.summary.split()) in short
    assert detail not in short and f"Source: {step.source}" not in short
    full = " ".join(plan_text(plan, "text", width=200, explain=True).split())
    assert detail in full and f"Source: {step.source}" in full
    assert "Each step's detail and legal basis" not in full


def test_groups_after_do_first_say_when(pack: model.Pack) -> None:
    text = plan_text(plan_for(pack, DANGER_ADULT), "text", width=200)
    headings = [line for line in text.splitlines() if line.startswith(("Do first", "Then, "))]
    assert headings[0] == "Do first"
    assert headings[1:] == sorted(headings[1:], key=lambda h: [
        f"Then, {label.lower()}" for label in model.URGENCY_LABELS.values()].index(h))


def test_markdown_gives_each_summary_with_its_detail_beneath(pack: model.Pack) -> None:
    plan = plan_for(pack, DANGER_ADULT)
    text = markdown.render_plan(plan)
    assert text.index("## Steps\n\n### Do first") < text.index("### Then, ")
    step = pack.steps["call_999"]
    summary = " ".join(step.summary.split())
    assert f"1. **Now: {summary}**\n    - {' '.join(step.text.split())}\n" in text
    for planned in plan.steps:
        assert " ".join(planned.step.summary.split()) in text
        assert " ".join(planned.step.text.split()) in text


# --- Now-steps at once -----------------------------------------------------------------------


def test_the_engine_gives_the_now_steps_the_answers_so_far_trigger(pack: model.Pack) -> None:
    walk = engine.walk(pack, session_with(pack, {"immediate_danger": "yes"}))
    assert walk.pending is not None and walk.pending.fact == "under_18"
    assert [s.step.id for s in engine.now_steps(pack, walk)] == ["call_999"]
    walk = engine.walk(pack, session_with(pack, {"immediate_danger": "no"}))
    assert engine.now_steps(pack, walk) == ()
    walk = engine.walk(pack, session_with(pack, {"immediate_danger": "yes", "under_18": "yes",
                                                 "organisation": "general"}))
    assert [s.step.id for s in engine.now_steps(pack, walk)][:2] == ["call_999", "safeguarding_children"]


def _visit_screen(pack: model.Pack, answers: list[str], plain: bool,
                  session: engine.Session | None = None) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False)
    asked: list[str] = []

    class Recording(ScriptedAsker):
        def ask(self, question, can_go_back, current=None):  # noqa: ANN001, ANN202
            out.write(f"\n? {question.text}\n")
            asked.append(question.fact)
            return super().ask(question, can_go_back, current)

    interactive.run(pack, session or engine.start(pack), Recording(answers),
                    visit._shower(pack, console, visit.Display(plain=plain)))
    return out.getvalue()


@pytest.mark.parametrize("plain", [False, True])
def test_a_now_step_is_shown_before_the_next_question_and_once(pack: model.Pack, plain: bool) -> None:
    # Danger, then back to the danger question and the same answer again: shown once.
    screen = _visit_screen(pack, ["yes", BACK, "yes", "no", "general", "no", "not_referred",
                                  "yes", "no", "yes", "no", "yes", "male", "housed", DONE], plain)
    first_question = screen.index("? Is the person, or anyone else, at risk")
    shown = screen.index(terminal.NOW_START if plain else terminal.NOW_TITLE)
    next_question = screen.index("? Could the person be under 18?")
    assert first_question < shown < screen.index("Call 999 now", shown) < next_question
    assert screen.count("Call 999 now") == 1
    if plain:
        assert shown < screen.index(terminal.NOW_END) < next_question
        assert "╭" not in screen and "│" not in screen  # nothing drawn for a screen reader


def test_a_resumed_visit_shows_the_now_steps_before_its_first_question(pack: model.Pack) -> None:
    saved = session_with(pack, {"immediate_danger": "yes", "under_18": "no"})
    screen = _visit_screen(pack, ["general", "no", "not_referred", "yes", "no", "yes", "no", "yes", "male",
                                  "housed", DONE], plain=True, session=saved)
    assert screen.index(terminal.NOW_START) < screen.index("Call 999 now") < screen.index(
        terminal.NOW_END) < screen.index("? Which organisation are you working for?")
    assert screen.count(terminal.NOW_START) == 1


@pytest.mark.parametrize(("organisation", "step"), [("nhs", "nhs_see_alone"),
                                                  ("trading_standards", "ts_do_not_alert")])
def test_an_organisations_now_step_comes_with_its_answer(pack: model.Pack, organisation: str,
                                                         step: str) -> None:
    walk = engine.walk(pack, session_with(pack, {"immediate_danger": "no", "under_18": "no",
                                                 "organisation": organisation}))
    assert walk.pending is not None  # shown before the next question, not at the end
    assert [s.step.id for s in engine.now_steps(pack, walk)] == [step]


def test_the_text_plan_starts_with_every_now_step_on_a_sample_of_paths(pack: model.Pack) -> None:
    """`start --answers` text output starts with the steps to do now, whichever they are."""
    seen: set[tuple[str, ...]] = set()
    for outcome in every_path(pack):
        nows = tuple(s.step.id for s in outcome.plan.steps if s.step.urgency is model.Urgency.NOW)
        if not nows or nows in seen:
            continue
        seen.add(nows)
        lines = plan_text(outcome.plan, "text", width=300).splitlines()
        assert lines[:2] == ["RECOMMENDED STEPS", "Do first"]
        numbered = [line.strip() for line in lines if re.match(r"\s*\d+\. ", line)]
        assert numbered[:len(nows)] == [f"{n}. Now: {' '.join(pack.steps[i].summary.split())}"
                            for n, i in enumerate(nows, 1)], nows
    assert len(seen) >= 4  # danger, a child, the NHS, Trading Standards and their mixes
