"""Files only their owner can read, written so that a crash never leaves half of one.

Shared by the saved sessions (`store`), the plan and summary files a visit writes, and the
cache of the checked pack; it knows nothing of what they hold.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, content: str | bytes) -> None:
    """Write a file readable by its owner only, atomically (write a temporary file, then rename).

    Text is written as UTF-8, with its newlines as they are. Until the rename, the old file (if
    any) is untouched; the rename replaces it in one step.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def make_private_folder(where: Path) -> Path:
    """Create a folder (and its parents) if needed and make it owner-only; OSError if it cannot."""
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(where, 0o700)
    return where
