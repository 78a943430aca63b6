"""The plan and the case summary as one document of plain text, before any format.

The Markdown renderer and the printable text renderer both draw this document, so a case
summary says the same things in `case.md` and `case.txt`. Text here is never escaped: each
renderer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ms_navigator import wording
from ms_navigator.engine import Answered, Plan, PlannedStep
from ms_navigator.model import URGENCY_LABELS, Urgency
from ms_navigator.record import CaseRecord

NO_SINGLE_REASON = "no single answer decides this: it is on this route whichever way one answer goes"
DECISION_SUPPORT = "Decision support only: the officer's judgement and the protocol decide."


@dataclass(frozen=True)
class Item:
    """One entry of a list: a lead in bold (an urgency, a service's name), its text, and the
    details under it (contacts, notes, the reason, the source)."""

    text: str
    lead: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of the document: a numbered or a bulleted list, or paragraphs."""

    title: str
    items: tuple[Item, ...] = ()
    kind: str = "bullets"  # "numbered", "bullets" or "paragraphs"
    empty: str = ""
    """Said when there are no items (a section is never silently empty)."""
    start: int = 1
    """The number of the first item: the plan's steps are numbered on across their groups."""
    part_of: str = ""
    """The title of the larger part this section is a group of ("Steps"), or "" for none."""


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...]
    footer: str = ""
    header: tuple[str, ...] = field(default=())
    """Facts about the document, as a bulleted list under the title."""


def because_text(trail: tuple[Answered, ...]) -> str:
    """Return the answers behind a step or service as one line of prose."""
    if not trail:
        return NO_SINGLE_REASON
    return "; ".join(f"{a.question} -> {a.label}" for a in trail)


def replaced_text(planned: PlannedStep) -> str | None:
    """Return which steps of this path a step stands for (its `replaces`), or None."""
    if not planned.replaced:
        return None
    return ("It stands for: " + "; ".join(f"\"{wording.step_summary(s, 1_000)}\" ({s.id})"
                                         for s in planned.replaced)
            + ", which the plan therefore leaves out")


def _step_item(planned: PlannedStep, tag: bool) -> Item:
    """Return a step: its one-sentence summary in bold (after its urgency in words when `tag`),
    and beneath it the detail, contacts, what is not confirmed, why it is planned, the source."""
    step = planned.step
    details = [" ".join(step.text.split())]
    details += [f"Contact: {contact.describe()}" for contact in planned.contacts]
    if step.confidence_note:
        details.append(step.confidence_note)
    if planned.because is not None:
        details.append(f"Because: {because_text(planned.because)}")
        replaced = replaced_text(planned)
        if replaced:
            details.append(replaced)
    details.append(f"Source: {step.source}")
    lead = f"{URGENCY_LABELS[step.urgency]}: {step.summary}" if tag else step.summary
    return Item("", lead, tuple(details))


def steps(plan: Plan) -> tuple[Section, ...]:
    """Return the steps as the plan orders them: those to do first, then the others grouped by
    when (today, in the next few days, ongoing), numbered on from one group to the next."""
    first = plan.first_steps()
    rest = [s for s in plan.steps if s.step.id not in plan.do_first]
    if not first and not rest:
        return (Section("Steps", (), "numbered", "No steps: nothing on this path calls for action."),)
    steps_part = "Steps"
    sections: list[Section] = []
    if first:
        sections.append(Section("Do first", tuple(_step_item(s, True) for s in first), "numbered",
                                part_of=steps_part))
    groups: dict[Urgency, list[PlannedStep]] = {}
    for planned in rest:
        groups.setdefault(planned.step.urgency, []).append(planned)
    number = len(first) + 1
    for urgency, group in groups.items():
        label = URGENCY_LABELS[urgency]
        sections.append(Section(f"Then, {label.lower()}" if first else label,
                                tuple(_step_item(s, False) for s in group), "numbered",
                                start=number, part_of=steps_part))
        number += len(group)
    return tuple(sections)


def services(plan: Plan) -> Section:
    items = []
    for offer in plan.offers:
        details = [f"Contact: {offer.contact.describe()}"]
        if offer.note:
            details.append(f"Note: {offer.note}")
        if offer.service.confidence_note:
            details.append(offer.service.confidence_note)
        if offer.because is not None:
            details.append(f"Because: {because_text(offer.because)}")
        details.append(f"Source: {offer.service.source}")
        items.append(Item(offer.service.offers, f"{offer.service.name}:", tuple(details)))
    return Section("Services the person can use", tuple(items), "bullets",
                   "No services from the support table apply on this path.")


def guidance(plan: Plan) -> Section | None:
    if not plan.guidance:
        return None
    return Section("Guidance", tuple(Item(f"{note.text} (Source: {note.source})", f"{note.title}.")
                                     for note in plan.guidance))


def answers(plan: Plan) -> Section:
    return Section("Answers given", tuple(Item(f"{a.question} {a.label}") for a in plan.transcript),
                   "numbered", "No questions were asked.")


def notes(text: str | None) -> Section | None:
    """Return the officer's notes as paragraphs, one a line they typed (blank lines dropped)."""
    if not text:
        return None
    lines = tuple(Item(line.strip()) for line in text.splitlines() if line.strip())
    return Section("Officer's notes", lines, "paragraphs") if lines else None


def plan_document(plan: Plan, version: str) -> Document:
    parts = [*steps(plan), services(plan), guidance(plan), answers(plan)]
    return Document("Modern slavery: recommended plan", tuple(p for p in parts if p is not None),
                    f"Pathways: {', '.join(plan.pathways)}. Made with ms-navigator {version}.")


def summary_document(plan: Plan, record: CaseRecord) -> Document:
    offset = record.made_at.isoformat(timespec="minutes")[-6:]  # summer time is not winter time
    header = (f"Made: {record.made_at:%d %B %Y at %H:%M} (UTC{offset})",
              f"Tool: ms-navigator {record.tool_version}",
              "Protocol pathways: " + "; ".join(f"{pid} (section {section}, version {version})"
                                                for pid, section, version in record.pathways),
              DECISION_SUPPORT)
    parts = [answers(plan), *steps(plan), services(plan), guidance(plan), notes(record.notes)]
    return Document("Modern slavery: case summary", tuple(p for p in parts if p is not None),
                    header=header)
