"""The plan and service lists as JSON-ready data (CONTRACT section 3), and as JSON text."""

from __future__ import annotations

import json
from typing import Any

from ms_navigator import __version__
from ms_navigator.engine import Answered, Plan
from ms_navigator.record import CaseRecord


def because_data(trail: tuple[Answered, ...] | None) -> list[dict[str, str]] | None:
    """Return the answers behind a step or service as JSON objects (null if not worked out)."""
    if trail is None:
        return None
    return [{"fact": a.fact, "answer": a.value, "label": a.label, "question": a.question}
            for a in trail]


def plan_data(plan: Plan) -> dict[str, Any]:
    """Return the plan as the contract's JSON object (with extra keys the contract allows)."""
    return {
        "facts": dict(plan.facts),
        "pathways": list(plan.pathways),
        "steps": [
            {
                "id": s.step.id,
                "text": s.step.text,
                "urgency": s.step.urgency.value,
                "source": s.step.source,
                "contacts": [c.describe() for c in s.contacts],
                "confidence": s.step.confidence.value,
                "confidence_note": s.step.confidence_note,
                "because": because_data(s.because),
                "replaces": [r.id for r in s.replaced],
            }
            for s in plan.steps
        ],
        "services": [{**o.as_dict(), "because": because_data(o.because)} for o in plan.offers],
        "guidance": [
            {"pathway": g.pathway, "title": g.title, "text": g.text, "source": g.source}
            for g in plan.guidance
        ],
        "transcript": [
            {"pathway": a.pathway, "question": a.question, "fact": a.fact, "answer": a.value,
             "label": a.label}
            for a in plan.transcript
        ],
        "tool": {"name": "ms-navigator", "version": __version__},
    }


def summary_data(plan: Plan, record: CaseRecord) -> dict[str, Any]:
    """Return the plan object with a `case_summary` key: when, on which pathway versions, notes."""
    return {**plan_data(plan), "case_summary": {
        "made_at": record.made_at.isoformat(timespec="seconds"),
        "tool_version": record.tool_version,
        "pathways": [{"id": pid, "section": section, "version": version}
                     for pid, section, version in record.pathways],
        "notes": record.notes,
    }}


def dumps(data: Any) -> str:
    """Return stable, readable JSON text ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
