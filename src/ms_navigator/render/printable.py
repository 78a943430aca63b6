"""The case summary as printable plain text (`--output case.txt`): the same document as the
Markdown summary, laid out for paper and for pasting where Markdown is not read."""

from __future__ import annotations

import textwrap

from ms_navigator.engine import Plan
from ms_navigator.record import CaseRecord
from ms_navigator.render import document

WIDTH = 78
"""Characters a line: fits an A4 page in a monospaced font, and an email."""


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _section(section: document.Section) -> list[str]:
    title = section.title if section.part_of else section.title.upper()
    out = [title, ("~" if section.part_of else "-") * len(title)]
    if not section.items and section.empty:
        return out + _wrapped(section.empty, "", "") + [""]
    width = len(str(section.start + len(section.items) - 1))
    for n, item in enumerate(section.items, section.start):
        text = " ".join(part for part in (item.lead, item.text) if part)
        if section.kind == "paragraphs":
            out += _wrapped(text, "", "") + [""]
            continue
        mark = f"{n:>{width}}. " if section.kind == "numbered" else "- "
        out += _wrapped(text, mark, " " * len(mark))
        indent = " " * len(mark)
        for detail in item.details:
            out += _wrapped(detail, indent + "- ", indent + "  ")
    return out + ([""] if section.kind != "paragraphs" else [])


def render(doc: document.Document) -> str:
    """Return a document as plain text: capitals and rules for headings, wrapped at WIDTH."""
    out = [doc.title.upper(), "=" * len(doc.title), ""]
    for line in doc.header:
        out += _wrapped(line, "", "  ")
    if doc.header:
        out.append("")
    part = ""
    for section in doc.sections:
        if section.part_of and section.part_of != part:
            out += [section.part_of.upper(), "-" * len(section.part_of), ""]
        part = section.part_of
        out += _section(section)
    if doc.footer:
        out += _wrapped(doc.footer, "", "")
    return "\n".join(out).rstrip("\n") + "\n"


def render_summary(plan: Plan, record: CaseRecord) -> str:
    """Return the case summary as printable text, with the same content as the Markdown one."""
    return render(document.summary_document(plan, record))
