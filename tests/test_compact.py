"""What to do first ends every plan on screen; --compact shows the plan in one screen, and
--pager pages the whole plan and then shows what to do first."""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pytest
from rich.console import Console

from ms_navigator.render import terminal
from tests.helpers import plan_for

DANGER = {"immediate_danger": "yes", "under_18": "no", "organisation": "general",
          "care_support_needs": "unsure", "nrm_status": "not_referred", "has_capacity": "yes",
          "consent_nrm": "yes", "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "female",
          "housing_situation": "housed"}


def shown(renderable: object, width: int = 80) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(renderable)
    return buffer.getvalue()


def test_first_steps_are_the_plans_do_first_call_999_first(pack) -> None:
    plan = plan_for(pack, DANGER)
    first = plan.first_steps()
    assert first[0].step.id == "call_999"
    assert [p.step.id for p in first] == list(plan.do_first)
    assert 1 <= len(first) <= 5


def test_compact_view_has_one_line_a_step_and_ends_with_what_to_do_first(pack) -> None:
    plan = plan_for(pack, DANGER)
    text = shown(terminal.compact(plan), width=200)
    steps = [line for line in text.splitlines() if line[:3].strip().rstrip(".").isdigit()]
    assert len(steps) >= len(plan.steps)
    assert text.rstrip().splitlines()[-1].strip() != ""
    assert text.index("DO FIRST") > text.index("SERVICES THE PERSON CAN USE")
    assert "Source:" not in text and "ANSWERS GIVEN" not in text
    assert "1. Now: Call 999" in text[text.index("DO FIRST"):]


def test_a_plan_with_nothing_urgent_says_where_to_start(pack) -> None:
    plan = plan_for(pack, DANGER)
    nothing_first = dataclasses.replace(plan, do_first=())
    assert "start with step 1" in shown(terminal.do_first(nothing_first))


def test_compact_and_pager_together_are_bad_usage(cli) -> None:
    assert "--compact" in cli("start", "--compact", "--pager", code=2).stderr


pexpect = pytest.importorskip("pexpect")


def answers_file(where: Path) -> Path:
    path = where / "answers.yaml"
    path.write_text("".join(f'{k}: "{v}"\n' for k, v in DANGER.items()))
    return path


@pytest.mark.parametrize("view, heading", [("--compact", "RECOMMENDED STEPS (IN SHORT)"),
                                           ("--pager", "RECOMMENDED STEPS")])
def test_on_screen_the_views_end_with_what_to_do_first(tmp_path: Path, view: str, heading: str) -> None:
    from tests.test_pty import EXE, WAIT, as_in_a_terminal, finish

    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", "PAGER": "cat"}
    child = pexpect.spawn(EXE, ["start", "--answers", str(answers_file(tmp_path)), view], env=env,
                          encoding="utf-8", timeout=WAIT, dimensions=(40, 100), preexec_fn=as_in_a_terminal)
    child.expect_exact(heading)
    child.expect_exact("DO FIRST")
    between = child.before  # the plan, before what to do first
    rest = finish(child, 0)
    assert "Call 999" in rest and "Source:" not in rest and "ANSWERS GIVEN" not in rest
    assert ("ANSWERS GIVEN" in between) is (view == "--pager")  # the pager shows the whole plan
