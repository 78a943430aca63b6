"""Which files make a pack folder, and how a path is shown to the user.

Below both the loader (which reads these files) and the cache of the checked pack (whose key
hashes them), so that neither needs the other to know what a pack is made of.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCAL_CONTACTS_ENV = "MS_NAVIGATOR_CONTACTS"
"""A contacts file of the policy lead's own (docs/authoring.md): each entry replaces the
shipped contact with the same id, so local numbers apply without editing the shipped pack."""

DIRECTORY_FILES = ("sources.yaml", "facts.yaml", "contacts.yaml", "services.yaml", "steps.yaml",
                   "eligibility.yaml", "policy.yaml")
"""The shared directory's files (`directory/`), which every pack has. The register of sources
comes first: every other file's citations are read against it."""
OPTIONAL_FILES = ("invariants.yaml",)
"""Directory files a pack may leave out (a pack without invariants is still a valid pack)."""


def display_path(path: Path) -> str:
    """Return a path as the user should see it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def local_contacts_file() -> Path | None:
    """Return the local contacts file named by MS_NAVIGATOR_CONTACTS, if it is set."""
    value = os.environ.get(LOCAL_CONTACTS_ENV, "").strip()
    return Path(value) if value else None


def pack_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Return every file that `load_pack` reads from a pack folder, in the order it reads them:
    the directory files (the optional ones only when present, then any local contacts file),
    then the pathway files. The cache's key hashes these same lists."""
    directory = root / "directory"
    local = local_contacts_file()
    return ([directory / name for name in DIRECTORY_FILES]
            + [directory / name for name in OPTIONAL_FILES if (directory / name).exists()]
            + ([local] if local is not None else []),
            sorted(root.glob("*.yaml")))
