"""One value type for every finding: YAML syntax, schema and lint rules alike."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(str, enum.Enum):
    """How serious a problem is; errors fail `lint`, warnings only with --strict, notes never."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """A finding at a place in a file. Lines and columns count from 1; 0 means 'the whole file'.

    `end_line` and `end_column` (0: not known) say where the text it is about ends: the column
    just after its last character, as SARIF counts.
    """

    path: str
    line: int
    column: int
    rule: str
    level: Level
    message: str
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        """One line, whatever the path or message hold: control characters are escaped, so
        that nothing read from a file can start a line of its own or move the cursor."""
        from ms_navigator.safeio import escape

        return escape(f"{self.path}:{self.line}:{self.column}: {self.level.value} {self.rule} "
                      f"{self.message}")
