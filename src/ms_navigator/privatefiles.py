"""Files only their owner can read, written so that a crash never leaves half of one.

Shared by the saved sessions (`store`) and the plan and summary files a visit writes; it knows
nothing of what they hold.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_private(path: Path, content: str | bytes) -> None:
    """Write a file readable by its owner only, atomically (write a temporary file, then rename).

    Text is written as UTF-8, with its newlines as they are. Until the rename, the old file (if
    any) is untouched; the rename replaces it in one step.
    """
    import tempfile  # when a file is written: not before a visit's first question

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
    """Create ms-navigator's own folder (and missing parents, owner-only) and make it
    owner-only; OSError if it cannot, or if it is a link or belongs to another user.

    Only `where` itself is ever chmodded: a parent that already exists (a folder the user
    chose, such as MS_NAVIGATOR_DATA_DIR) is left exactly as it was.
    """
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(where)
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(0, "it is a link or not a folder")
    if os.name == "posix":
        if info.st_uid != os.getuid():
            raise OSError(0, "it belongs to another user")
        os.chmod(where, 0o700)
    return where
