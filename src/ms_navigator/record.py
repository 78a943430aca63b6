"""What a case summary adds to the plan: when it was made, on which pathway versions, by which
tool, and the officer's optional notes. Built here, rendered by `render.markdown` and `render.jsonfmt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ms_navigator import __version__, engine, model


@dataclass(frozen=True)
class CaseRecord:
    """The facts about a plan that a case file needs besides the plan itself."""

    made_at: datetime
    pathways: tuple[tuple[str, str, str], ...]  # (id, protocol section, version)
    tool_version: str
    notes: str | None = None


def record_for(pack: model.Pack, plan: engine.Plan, notes: str | None = None,
               made_at: datetime | None = None) -> CaseRecord:
    """Return the record of a plan made now (local time, with its offset)."""
    return CaseRecord(
        made_at=made_at or datetime.now().astimezone(),
        pathways=tuple((p, pack.pathways[p].section, pack.pathways[p].version)
                       for p in plan.pathways),
        tool_version=__version__,
        notes=notes or None,
    )
