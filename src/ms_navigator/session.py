"""What a session is: the pathway it starts at and the answers given. Nothing else is kept.

Below the engine (which replays a session to find where it is) and the saved sessions on disk
(`store`), so that the store does not depend on the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Session:
    """A session: the pathway it starts at and the answers given, in order. Immutable."""

    start: str
    answers: tuple[tuple[str, str], ...] = field(default=())

    def answer_map(self) -> dict[str, str]:
        """Return the answers by fact."""
        return dict(self.answers)
