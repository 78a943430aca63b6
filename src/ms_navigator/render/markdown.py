"""The plan as Markdown, and the case summary to paste into a case record."""

from __future__ import annotations

from ms_navigator import __version__, wording
from ms_navigator.engine import Answered, Plan, PlannedStep
from ms_navigator.model import URGENCY_LABELS
from ms_navigator.record import CaseRecord

NO_SINGLE_REASON = "no single answer decides this: it is on this route whichever way one answer goes"


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


def render_plan(plan: Plan) -> str:
    """Return the plan as a Markdown document: steps by urgency, services, guidance, answers."""
    out = ["# Modern slavery: recommended plan", ""]
    out += _steps(plan) + _services(plan) + _guidance(plan) + _answers(plan)
    out += ["", f"Pathways: {', '.join(plan.pathways)}. Made with ms-navigator {__version__}.", ""]
    return "\n".join(out)


def render_summary(plan: Plan, record: CaseRecord) -> str:
    """Return the case summary: when and on what it was made, the answers, steps, services, why."""
    out = ["# Modern slavery: case summary", "",
           f"- Made: {record.made_at:%d %B %Y at %H:%M} (UTC{_offset(record)})",
           f"- Tool: ms-navigator {record.tool_version}",
           "- Protocol pathways: " + "; ".join(f"{pid} (section {section}, version {version})"
                                               for pid, section, version in record.pathways),
           "- Decision support only: the officer's judgement and the protocol decide.", ""]
    out += _answers(plan)[1:] + [""] + _steps(plan) + _services(plan) + _guidance(plan)
    if record.notes:
        out += ["", "## Officer's notes", "", record.notes]
    return "\n".join(out + [""])


def _offset(record: CaseRecord) -> str:
    """Return the time zone offset like +01:00, so a time in summer is not read as winter time."""
    return record.made_at.isoformat(timespec="minutes")[-6:]


def _steps(plan: Plan) -> list[str]:
    out = ["## Steps, most urgent first", ""]
    for n, planned in enumerate(plan.steps, 1):
        step = planned.step
        out.append(f"{n}. **{URGENCY_LABELS[step.urgency]}:** {step.text}")
        for contact in planned.contacts:
            out.append(f"   - Contact: {contact.describe()}")
        if step.confidence_note:
            out.append(f"   - {step.confidence_note}")
        if planned.because is not None:
            out.append(f"   - Because: {because_text(planned.because)}")
            replaced = replaced_text(planned)
            if replaced:
                out.append(f"   - {replaced}")
        out.append(f"   - Source: {step.source}")
    return out


def _services(plan: Plan) -> list[str]:
    out = ["", "## Services the person can use", ""]
    if not plan.offers:
        out.append("No services from the support table apply on this path.")
    for offer in plan.offers:
        out.append(f"- **{offer.service.name}**: {offer.service.offers}")
        out.append(f"  - Contact: {offer.contact.describe()}")
        if offer.note:
            out.append(f"  - Note: {offer.note}")
        if offer.service.confidence_note:
            out.append(f"  - {offer.service.confidence_note}")
        if offer.because is not None:
            out.append(f"  - Because: {because_text(offer.because)}")
        out.append(f"  - Source: {offer.service.source}")
    return out


def _guidance(plan: Plan) -> list[str]:
    if not plan.guidance:
        return []
    return ["", "## Guidance", ""] + [f"- **{note.title}.** {note.text} (Source: {note.source})"
                                      for note in plan.guidance]


def _answers(plan: Plan) -> list[str]:
    out = ["", "## Answers given", "", "| Question | Answer |", "|---|---|"]
    return out + [f"| {a.question} | {a.label} |" for a in plan.transcript]
