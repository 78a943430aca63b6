"""The plan as Markdown, and the case summary to paste into a case record.

Written to render the same in CommonMark, GitHub and Python-Markdown (MkDocs): lists nest by
four spaces (Python-Markdown needs four), there are no tables (only GitHub has them), and every
text is escaped, so an officer's note can never add a heading, a list, a table or raw HTML.
"""

from __future__ import annotations

import re

from ms_navigator import __version__
from ms_navigator.engine import Plan
from ms_navigator.record import CaseRecord
from ms_navigator.render import document
from ms_navigator.render.document import NO_SINGLE_REASON, because_text, replaced_text

__all__ = ["NO_SINGLE_REASON", "because_text", "escape", "render_plan", "render_summary", "replaced_text"]

NEST = "    "
"""The indent of a list inside a list item (four spaces: the least Python-Markdown reads)."""

_BACKSLASHED = re.compile(r"([\\`*\[\]#]|(?<!\w)_|_(?!\w))")
"""Punctuation escaped with a backslash: each is escapable in CommonMark and Python-Markdown.
An underscore inside a word (a step id such as `ask_first_responder`) is left as it is: no
renderer reads it as emphasis there."""
_ENTITIES = {"&": "&amp;", "<": "&lt;", "|": "&#124;"}
"""Characters written as entities: Python-Markdown has no backslash escape for `<` or `|`."""
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)](?:\s|$)))")
"""What would start a list, a quote, a setext underline or a thematic break at the start of a
line (`>` elsewhere is only a character: with every `<` escaped it can close no HTML)."""


def escape(text: str) -> str:
    """Return text that Markdown shows as it is: no emphasis, heading, list, table or HTML.

    One line of text: what comes first in the line is escaped too (`- `, `+ `, `1. `, `=`).
    """
    text = _BACKSLASHED.sub(r"\\\1", text)
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    found = _LINE_START.match(text)
    if found:  # a backslash, except before "=", which Python-Markdown cannot escape
        at = found.end() if found.group(2).isdigit() else found.start(2)
        mark = "&#61;" if text[at] == "=" else "\\" + text[at]
        text = text[:at] + mark + text[at + 1:]
    return text.strip()


def _item(marker: str, item: document.Item) -> list[str]:
    line = " ".join(part for part in (f"**{escape(item.lead)}**" if item.lead else "",
                                      escape(item.text)) if part)
    return [f"{marker} {line}"] + [f"{NEST}- {escape(d)}" for d in item.details]


def _section(section: document.Section) -> list[str]:
    level = "###" if section.part_of else "##"
    out = [f"{level} {escape(section.title)}", ""]
    if not section.items and section.empty:
        return out + [escape(section.empty), ""]
    for n, item in enumerate(section.items, section.start):
        if section.kind == "paragraphs":
            out += [escape(item.text), ""]
        else:
            out += _item(f"{n}." if section.kind == "numbered" else "-", item)
    if section.kind != "paragraphs":
        out.append("")
    return out


def render(doc: document.Document) -> str:
    """Return a document as Markdown."""
    out = [f"# {escape(doc.title)}", ""]
    if doc.header:
        out += [f"- {escape(line)}" for line in doc.header] + [""]
    part = ""
    for section in doc.sections:
        if section.part_of and section.part_of != part:
            out += [f"## {escape(section.part_of)}", ""]
        part = section.part_of
        out += _section(section)
    if doc.footer:
        out += [escape(doc.footer), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_plan(plan: Plan) -> str:
    """Return the plan as a Markdown document: steps by urgency, services, guidance, answers."""
    return render(document.plan_document(plan, __version__))


def render_summary(plan: Plan, record: CaseRecord) -> str:
    """Return the case summary: when and on what it was made, the answers, steps, services, why."""
    return render(document.summary_document(plan, record))
