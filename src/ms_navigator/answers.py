"""Reading an answers file (`start --answers FILE|-`): a YAML or JSON mapping of fact to value."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ms_navigator import yamlread
from ms_navigator.errors import AnswersFileError


def read(source: str) -> dict[str, Any]:
    """Return the answers in a file (or stdin for '-'); raise AnswersFileError if unreadable."""
    if source == "-":
        shown, raw = "<stdin>", sys.stdin.buffer.read() if not sys.stdin.closed else b""
    else:
        path = Path(source)
        shown = source
        if path.is_dir():
            raise AnswersFileError(f"{shown}: this is a folder; give an answers file.")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise AnswersFileError(f"{shown}: no such answers file.") from None
        except OSError as err:
            raise AnswersFileError(f"{shown}: cannot read it ({err.strerror}).") from None
    try:
        data, _ = yamlread.read(shown, raw)
    except yamlread.YamlError as err:
        raise AnswersFileError(str(err.problem)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{shown}: answers must be a mapping of fact to value, for example 'under_18: no'."
        )
    return {str(k): v for k, v in data.items()}
