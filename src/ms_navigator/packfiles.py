"""Which files make a pack folder, and how a path is shown to the user.

Below both the loader (which reads these files) and the cache of the checked pack (whose key
hashes them), so that neither needs the other to know what a pack is made of.
"""

from __future__ import annotations

import os
from pathlib import Path

DIRECTORY_FILES = ("facts.yaml", "contacts.yaml", "services.yaml", "steps.yaml",
                   "eligibility.yaml", "policy.yaml")
"""The shared directory's files (`directory/`), which every pack has."""
OPTIONAL_FILES = ("invariants.yaml",)
"""Directory files a pack may leave out (a pack without invariants is still a valid pack)."""


def display_path(path: Path) -> str:
    """Return a path as the user should see it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def pack_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Return every file that `load_pack` reads from a pack folder, in the order it reads them:
    the directory files (the optional ones only when present), then the pathway files. The
    cache's key hashes these same lists."""
    directory = root / "directory"
    return ([directory / name for name in DIRECTORY_FILES]
            + [directory / name for name in OPTIONAL_FILES if (directory / name).exists()],
            sorted(root.glob("*.yaml")))
