"""Reading files and writing text as if every file, folder and stream were hostile.

Every file ms-navigator reads (pathway packs, scenario files, answers files, saved visits)
goes through `read_file`: it must be a regular file (a FIFO would hang, `/dev/zero` would fill
the memory), inside the folder it belongs to when one is given (a link out of a pack is not
followed), and no larger than a limit, checked before it is read and again while reading
(at most limit + 1 bytes are ever read). What is refused is said in a message that never
quotes the file. `escape` makes text from a file safe to print: control characters (which could
move the cursor, clear the screen or forge a lint line) are written as escapes.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from ms_navigator import ruleids
from ms_navigator.errors import NavigatorError

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (tab excepted) and the bidirectional overrides ('Trojan source')."""

_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
"""The ASCII characters that are not control characters (to `has_control`)."""


class RefusedFile(NavigatorError):
    """A file that is not read: not a regular file, outside its folder, or too large.

    `rule` is the lint rule that reports it: `file-refused`, or `file-too-large`.
    """

    def __init__(self, message: str, rule: str = ruleids.FILE_REFUSED) -> None:
        self.rule = rule
        super().__init__(message)


def escape(text: str) -> str:
    """Return text with every control character written as an escape (\\n, \\x1b, \\u202e)."""
    return _CONTROL.sub(_escaped, text)


def excerpt(text: str, most: int = 40) -> str:
    """Return a short, escaped excerpt of text read from a file, for a message."""
    short = escape(text[:most])
    return short if len(text) <= most else short + "..."


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def has_control(text: str) -> int:
    """Return the index of the first control character other than tab, newline and carriage
    return in text, or -1 when there is none."""
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII):
        return -1  # the common case, told at C speed (the pattern looks at each character)
    found = _CONTROL.search(text.replace("\n", " ").replace("\r", " "))
    return found.start() if found else -1


def read_file(path: Path, limit: int, root: Path | None = None, what: str = "file to read") -> bytes:
    """Return a regular file's bytes; RefusedFile (exit 2) for anything else.

    `root`: the folder the file must be inside once links are followed (a pack's folder).
    `limit`: the most bytes accepted. FileNotFoundError and other OSErrors propagate for the
    caller to word (a missing file is not a hostile one).
    """
    shown = escape(str(path))
    if root is not None:
        real, inside = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, inside]) != inside:
            raise RefusedFile(f"{shown}: this {what} is a link to somewhere outside {escape(str(root))}; "
                              "it is not read. Put the file itself in the folder.")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO with no writer must not hang
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(f"{shown}: this {what} is {_kind(info.st_mode)}, not a regular "
                              "file; it is not read. Give a regular file.")
        if info.st_size > limit:
            raise _too_large(shown, what, limit)
        return read_bounded(handle, limit, shown, what)


def read_bounded(handle: BinaryIO, limit: int, shown: str, what: str) -> bytes:
    """Read at most limit + 1 bytes from a stream; RefusedFile when there are more than limit."""
    data = handle.read(limit + 1) or b""
    if len(data) > limit:
        raise _too_large(shown, what, limit)
    return data


def _too_large(shown: str, what: str, limit: int) -> RefusedFile:
    return RefusedFile(f"{shown}: this {what} is larger than {limit:,} bytes, the most "
                       "ms-navigator reads; it is not read.", ruleids.FILE_TOO_LARGE)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
