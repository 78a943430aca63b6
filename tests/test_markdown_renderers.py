"""The case summary renders the same in CommonMark, GitHub and Python-Markdown (MkDocs), and an
officer's notes stay text; the printable form says the same things."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from ms_navigator import record
from ms_navigator.render import markdown, printable
from tests.helpers import plan_for

markdown_it = pytest.importorskip("markdown_it")
python_markdown = pytest.importorskip("markdown")

WHEN = datetime(2026, 7, 1, 14, 5, tzinfo=timezone(timedelta(hours=1)))
ADULT = {"immediate_danger": "yes", "under_18": "no", "organisation": "general",
         "care_support_needs": "unsure", "nrm_status": "unknown", "has_capacity": "yes",
         "consent_nrm": "no", "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "female",
         "housing_situation": "at_risk", "housing_eligibility": "unsure"}
CHILD = {"immediate_danger": "no", "under_18": "unsure", "organisation": "nhs",
         "criminal_exploitation": "yes"}
HOSTILE_NOTES = "\n".join([
    "# Not a heading",
    "- not a list",
    "* not a list either",
    "+ nor this",
    "1. not numbered",
    "2) nor this",
    "> not a quote",
    "| a | table? |",
    "|---|---|",
    "<script>alert(1)</script> <b>bold?</b> <!-- comment -->",
    "    not code",
    "===",
    "*not emphasis* _nor this_ `nor code` [not](a link) ![nor](an image) \\ back & slash",
    "---",
    "snake_case_words and__double__ underscores inside words",
])

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "p", "table", "blockquote", "pre",
          "hr", "code", "em", "strong", "a", "img", "script", "b"}


class Structure(HTMLParser):
    """The elements of rendered HTML as an outline (tag, depth), and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline: list[tuple[str, int]] = []
        self.depth = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in BLOCKS:
            if tag != "p":  # a "loose" list wraps its items in <p> in some renderers only
                self.outline.append((tag, self.depth))
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.words += data.split()


def structure(rendered: str) -> tuple[list[tuple[str, int]], str]:
    parser = Structure()
    parser.feed(rendered)
    return parser.outline, " ".join(html.unescape(" ".join(parser.words)).split())


def renderings(text: str) -> dict[str, tuple[list[tuple[str, int]], str]]:
    commonmark = markdown_it.MarkdownIt("commonmark")
    github = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return {"CommonMark": structure(commonmark.render(text)),
            "GitHub": structure(github.render(text)),
            "Python-Markdown": structure(python_markdown.markdown(text))}


def summary(pack, answers: dict[str, str], notes: str | None = None) -> str:  # noqa: ANN001
    plan = plan_for(pack, answers)
    return markdown.render_summary(plan, record.record_for(pack, plan, notes, WHEN))


@pytest.mark.parametrize("answers", [ADULT, CHILD], ids=["adult-in-danger", "child-nhs"])
def test_the_three_renderers_see_the_same_structure_and_text(pack, answers: dict[str, str]) -> None:
    text = summary(pack, answers, HOSTILE_NOTES)
    seen = renderings(text)
    (outline, words), *others = seen.values()
    for name, (other_outline, other_words) in seen.items():
        assert other_outline == outline, f"{name} differs"
        assert other_words == words, f"{name} reads other words"


def test_lists_nest_steps_hold_their_details(pack) -> None:
    plan = plan_for(pack, ADULT)
    outline, _ = renderings(summary(pack, ADULT))["Python-Markdown"]
    headings = [tag for tag, depth in outline if tag.startswith("h")]
    groups = len({s.step.urgency for s in plan.steps if s.step.id not in plan.do_first}) + 1
    # title, answers, steps (do first, then a group for each urgency), services, guidance
    assert headings == ["h1", "h2", "h2"] + ["h3"] * groups + ["h2", "h2"]
    top_lists = [(tag, depth) for tag, depth in outline if tag in ("ol", "ul") and depth == 0]
    nested = [tag for tag, depth in outline if tag == "ul" and depth == 2]
    assert len(nested) == len(plan.steps) + len(plan.offers)  # each step's and service's details
    top_items = [tag for tag, depth in outline if tag == "li" and depth == 1]
    header = 4
    assert len(top_items) == header + len(plan.transcript) + len(plan.steps) + len(plan.offers) + len(plan.guidance)
    assert len(top_lists) == 4 + groups  # header, answers, each group of steps, services


def test_notes_are_text_whatever_they_hold(pack) -> None:
    for name, (outline, words) in renderings(summary(pack, CHILD, HOSTILE_NOTES)).items():
        plain = summary(pack, CHILD)
        base_outline, _ = renderings(plain)[name]
        extra = outline[len(base_outline):]
        assert extra == [("h2", 0)], f"{name}: notes made {extra}"  # the notes' heading, then paragraphs
        for line in HOSTILE_NOTES.splitlines():
            assert " ".join(line.split()) in words, f"{name} lost {line!r}"


def test_four_spaces_nest_and_no_table_is_used(pack) -> None:
    text = summary(pack, ADULT)
    assert re.search(r"^ {4}- Source: ", text, re.M) and not re.search(r"^ {1,3}- ", text, re.M)
    assert "|---|" not in text


def test_the_printable_summary_says_the_same_things(pack) -> None:
    plan = plan_for(pack, ADULT)
    rec = record.record_for(pack, plan, "Interpreter booked.\n- for Monday", WHEN)
    text = printable.render_summary(plan, rec)
    for line in rec_lines(plan, rec):
        assert line in " ".join(text.split()), line
    for planned in plan.steps:
        assert " ".join(planned.step.text.split()) in " ".join(text.split())
    for offer in plan.offers:
        assert offer.service.name in text
    assert "OFFICER'S NOTES" in text and "- for Monday" in text
    assert all(len(line) <= printable.WIDTH for line in text.splitlines() if " " in line.strip())
    assert text.startswith("MODERN SLAVERY: CASE SUMMARY\n")


def rec_lines(plan, rec) -> list[str]:  # noqa: ANN001
    """Every text of the summary's document, as the printable form must hold it."""
    from ms_navigator.render import document

    doc = document.summary_document(plan, rec)
    texts = list(doc.header)
    for section in doc.sections:
        texts += [" ".join(f"{i.lead} {i.text}".split()) for i in section.items]
        texts += [" ".join(d.split()) for i in section.items for d in i.details]
    return texts


def test_output_txt_writes_the_printable_summary(cli, tmp_path) -> None:  # noqa: ANN001
    from tests.test_cli import ADULT_DTN

    target = tmp_path / "case.txt"
    cli("start", "--answers", "-", "--output", str(target), stdin=ADULT_DTN)
    text = target.read_text()
    assert text.startswith("MODERN SLAVERY: CASE SUMMARY") and "Made: " in text and "ANSWERS GIVEN" in text
