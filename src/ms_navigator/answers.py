"""Reading an answers file (`start --answers FILE|-`): a YAML or JSON mapping of fact to value."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ms_navigator import safeio, yamlread
from ms_navigator.errors import AnswersFileError

MAX_BYTES = 64 * 1024
"""An answers file holds a few dozen short lines; anything larger (an endless stdin,
/dev/zero) is refused after reading at most this many bytes and one more."""


def read(source: str) -> dict[str, Any]:
    """Return the answers in a file (or stdin for '-'); raise AnswersFileError if unreadable.

    A file must be a regular file (a FIFO, a device or /dev/zero is refused, exit 2); stdin
    may be a pipe, but no more than MAX_BYTES of it is read.
    """
    if source == "-":
        shown = "<stdin>"
        stream = getattr(sys.stdin, "buffer", None)  # None when stdin is closed (start <&-)
        if stream is None or sys.stdin.closed:
            raise AnswersFileError("--answers -: standard input is closed; give the answers "
                                   "on standard input, or --answers FILE.")
        try:
            raw = safeio.read_bounded(stream, MAX_BYTES, shown, "answers input")
        except OSError as err:
            raise AnswersFileError(f"{shown}: cannot read it ({err.strerror}).") from None
    else:
        path = Path(source)
        shown = safeio.escape(source)
        if path.is_dir():
            raise AnswersFileError(f"{shown}: this is a folder; give an answers file.")
        try:
            raw = safeio.read_file(path, MAX_BYTES, what="answers file")
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
