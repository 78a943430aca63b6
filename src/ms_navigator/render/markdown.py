"""The plan as Markdown, to paste into a case record."""

from __future__ import annotations

from ms_navigator import __version__
from ms_navigator.engine import Answered, Plan
from ms_navigator.model import URGENCY_LABELS

NO_SINGLE_REASON = "no single answer decides this: it is on this route whichever way one answer goes"


def because_text(trail: tuple[Answered, ...]) -> str:
    """Return the answers behind a step or service as one line of prose."""
    if not trail:
        return NO_SINGLE_REASON
    return "; ".join(f"{a.question} -> {a.label}" for a in trail)


def render_plan(plan: Plan) -> str:
    """Return the plan as a Markdown document: steps by urgency, services, guidance, answers."""
    out = ["# Modern slavery: recommended plan", ""]
    out += ["## Steps", ""]
    for n, planned in enumerate(plan.steps, 1):
        step = planned.step
        out.append(f"{n}. **{URGENCY_LABELS[step.urgency]}:** {step.text}")
        for contact in planned.contacts:
            out.append(f"   - Contact: {contact.describe()}")
        out.append(f"   - Because: {because_text(planned.because)}")
        out.append(f"   - Source: {step.source}")
    out += ["", "## Services the person can use", ""]
    if not plan.offers:
        out.append("No services from the support table apply on this path.")
    for offer in plan.offers:
        out.append(f"- **{offer.service.name}**: {offer.service.offers}")
        out.append(f"  - Contact: {offer.contact.describe()}")
        if offer.note:
            out.append(f"  - Note: {offer.note}")
        out.append(f"  - Because: {because_text(offer.because)}")
        out.append(f"  - Source: {offer.service.source}")
    if plan.guidance:
        out += ["", "## Guidance", ""]
        for note in plan.guidance:
            out.append(f"- **{note.title}.** {note.text} (Source: {note.source})")
    out += ["", "## Answers given", "", "| Question | Answer |", "|---|---|"]
    for answered in plan.transcript:
        out.append(f"| {answered.question} | {answered.label} |")
    out += ["", f"Pathways: {', '.join(plan.pathways)}. Made with ms-navigator {__version__}.", ""]
    return "\n".join(out)
