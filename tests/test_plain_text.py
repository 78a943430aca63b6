"""The piped text plan is laid out without rich's rendering (`terminal.plain_lines`): the same
bytes as rich draws, on every shipped scenario's plan at several widths, and on texts made to
break the line wrapping (wide characters, folded words, odd spaces, line breaks)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text

from ms_navigator import engine, model, plans, scenarios
from ms_navigator.render import output, terminal
from tests.helpers import some_widths, thorough

WIDTHS = (14, 27, 40, 61, 80, 100, 120)
"""From a phone-sized window to a wide terminal; 100 is the width of the piped plan."""


def _rich(renderable: Any, width: int) -> str:
    """What rich writes for the renderable on a console without styles (a file, a pipe)."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(renderable)
    return buffer.getvalue()


def _ours(renderable: Any, width: int) -> str | None:
    lines = terminal.plain_lines(renderable, width)
    return None if lines is None else "".join(line + "\n" for line in lines)


def _scenario_plans(pack: model.Pack) -> list[engine.Plan]:
    found, problems = scenarios.load([scenarios.shipped_dir()])
    assert len(found) >= 20 and not problems
    return [plans.run_scripted(pack, s.start, s.given) for s, _ in found]


@pytest.fixture(scope="module")
def scenario_plans(pack: model.Pack) -> list[engine.Plan]:
    return _scenario_plans(pack)


def test_every_scenario_plan_is_the_text_rich_drew(scenario_plans, monkeypatch: pytest.MonkeyPatch) -> None:
    """`plan_text` (what `start --answers` prints to a file or a pipe), with and without
    --explain: byte for byte what it was when rich drew every plan."""
    for index, plan in enumerate(scenario_plans):
        for explain in (False, True):
            for width in some_widths(WIDTHS, index + explain):
                ours = output.plan_text(plan, "text", width, explain)
                with monkeypatch.context() as patch:
                    patch.setattr(terminal, "plain_lines", lambda *args: None)
                    assert ours == output.plan_text(plan, "text", width, explain), (width, explain)


def test_every_kind_of_list_is_laid_out_as_rich_lays_it_out(scenario_plans) -> None:
    """Not only after the line ends are trimmed: the very lines rich writes, trailing spaces
    included, for the plan and for the other lists of the screen."""
    makers = [lambda p: terminal.plan(p), lambda p: terminal.plan(p, explain=True),
              terminal.compact, terminal.do_first, lambda p: terminal.now_steps(p.steps[:3], plain=True),
              lambda p: terminal.answers(p.transcript)]
    for index, plan in enumerate(scenario_plans):
        for number, make in enumerate(makers):
            for width in some_widths(WIDTHS, index + number):
                drawn = make(plan)
                assert _ours(drawn, width) == _rich(drawn, width), (width, make)


def test_styles_forced_on_are_left_to_rich(scenario_plans, monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR makes rich style even a file: the plan keeps its bold as before."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    plan = scenario_plans[0]
    text = output.plan_text(plan, "text")
    assert "\x1b[" in text
    with monkeypatch.context() as patch:
        patch.setattr(terminal, "plain_lines", lambda *args: None)
        assert text == output.plan_text(plan, "text")


def test_a_rich_without_its_private_line_breaking_draws_every_plan_itself(
        scenario_plans, monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout borrows a private function of rich: a release without it must not break
    `start --answers`, only make it draw each plan with rich, to the same text."""
    plan = scenario_plans[0]
    text = output.plan_text(plan, "text")
    monkeypatch.setattr(terminal, "_DIVIDE_LINE", None)
    assert terminal.plain_lines(terminal.plan(plan), 100) is None
    assert output.plan_text(plan, "text") == text


def test_what_it_does_not_lay_out_is_left_to_rich() -> None:
    assert terminal.plain_lines(Text("a\tb"), 40) is None
    assert terminal.plain_lines(Text("ab", justify="right"), 40) is None
    assert terminal.plain_lines(Text("ab", overflow="ellipsis"), 40) is None
    assert terminal.plain_lines(Text("ab", no_wrap=True), 40) is None
    assert terminal.plain_lines(Text("ab", end=""), 40) is None
    assert terminal.plain_lines(Group(Text("a"), "markup [b]b[/b]"), 40) is None
    assert terminal.plain_lines(terminal.now_steps(()), 40) is None  # a panel
    assert terminal.plain_lines(terminal._numbered([("10.", Text("a"))]), 4) is None
    assert terminal.plain_lines(terminal._numbered([("10.", Text("a"))]), 5) == ["10. a"]


WORDS = st.sampled_from([
    "a", "to", "Contact:", "024 7683 3003", "www.gov.uk/guidance/report-modern-slavery-as-a-first-responder",
    "ascdirect@coventry.gov.uk", "£", "café", "naïve", "–", "—", "’s", "“quoted”", "漢字", "日本語のテキスト",
    "😀", "👩‍👩‍👧", "e\u0301", "\u200b", "\u00ad", "\ufe0f", "x" * 130, "漢" * 70,
])
SPACES = st.sampled_from([" ", "  ", "   ", "\n", "\n\n", " \n", "\u00a0", "\u2028", "\x85", "\x0b",
                          "\x0c", "\r", "\x1c", "\u3000", "\x1b", "\x07", ""])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(WORDS, SPACES), max_size=30))
    lead = draw(st.sampled_from(["", " ", "  ", "\n"]))
    return lead + "".join(word + space for word, space in parts)


@st.composite
def renderables(draw: st.DrawFn, depth: int = 0) -> Any:
    kind = draw(st.sampled_from(["text", "group", "numbered"] if depth < 3 else ["text"]))
    if kind == "text":
        text = Text(draw(texts()), style=draw(st.sampled_from(["", "bold", "dim"])))
        if draw(st.booleans()):
            text.append(draw(texts()), style="cyan")
        return text
    children = draw(st.lists(renderables(depth + 1), max_size=4))
    if kind == "group":
        return Group(*children)
    marks = draw(st.lists(st.sampled_from(["-", ">", "1.", "10.", "100.", " 9."]),
                          min_size=len(children), max_size=len(children)))
    return terminal._numbered(list(zip(marks, children, strict=True)))


@settings(max_examples=400 if thorough() else 150, deadline=None)
@given(renderables(), st.integers(min_value=1, max_value=130))
def test_any_text_is_laid_out_as_rich_lays_it_out(renderable: Any, width: int) -> None:
    ours = _ours(renderable, width)
    if ours is not None:
        assert ours == _rich(renderable, width)
