"""A cache of the checked pack, so that `start` does not parse and check every file each run.

Loading the pack (YAML parsing, validation, reference checks) is most of what `start` does
before its first question that the libraries do not. When a pack loads with no problem at all,
the pack is pickled into an owner-only cache folder; the next run unpickles it instead, if and
only if its key still matches. The key is a hash of everything the checks depend on: the name
and bytes of every file the loader reads, the bytes of ms-navigator's own source, and the
versions of Python, pydantic and PyYAML. So an edited pathway file, or edited code, always
misses the cache and is loaded and checked in full: a problem is never hidden by the cache.

The cache holds pack content only (pathways and directory entries), never an answer or
anything about a person. A cache file that is unreadable, corrupt, stale or not owner-only is
ignored (the pack is loaded in full instead). `lint` never uses the cache; set
MS_NAVIGATOR_NO_CACHE=1 to turn it off for every command.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path

from ms_navigator import __version__, model, packfiles, privatefiles

DIR_ENV = "MS_NAVIGATOR_CACHE_DIR"
"""Where the cache goes instead of the user's cache folder (tests, shared machines)."""
OFF_ENV = "MS_NAVIGATOR_NO_CACHE"
"""Set to 1 to load and check the pack in full on every run, writing no cache."""
FORMAT = b"ms-navigator checked pack, format 1\0"
"""Part of every key: change it when the cache file's layout changes."""
CODE = Path(__file__).resolve().parent
"""ms-navigator's own source: every `.py` file below it is part of the key."""


def enabled() -> bool:
    """Return False when MS_NAVIGATOR_NO_CACHE is set (to anything but empty or 0)."""
    return os.environ.get(OFF_ENV, "").strip() in ("", "0")


def folder() -> Path:
    """Return the cache folder: MS_NAVIGATOR_CACHE_DIR, else the user's cache folder."""
    custom = os.environ.get(DIR_ENV)
    if custom:
        return Path(custom)
    if sys.platform in ("win32", "darwin"):
        import platformdirs

        return Path(platformdirs.user_cache_dir("ms-navigator", appauthor=False))
    base = os.environ.get("XDG_CACHE_HOME", "")
    # the XDG spec says to ignore a relative path; platformdirs would add a few ms to each start
    return Path(base if os.path.isabs(base) else os.path.expanduser("~/.cache")) / "ms-navigator"


def key(root: Path) -> str | None:
    """Return the hash of everything that decides whether the pack in `root` loads clean.

    None when a file cannot be read: the full load then reports it.
    """
    import annotated_types
    import pydantic
    import pydantic_core
    import yaml

    digest = hashlib.sha256(FORMAT)
    for part in (sys.version, __version__, pydantic.VERSION, pydantic_core.__version__,
                 annotated_types.__version__, yaml.__version__, str(yaml.__with_libyaml__)):
        digest.update(part.encode() + b"\0")
    files = [(p.relative_to(CODE).as_posix(), p) for p in sorted(CODE.rglob("*.py"))]
    # the pack's shown paths are part of the pack (Pack.files), so they are part of the key
    directory, pathways = packfiles.pack_files(root)
    files += [(packfiles.display_path(p), p) for p in [*directory, *pathways]]
    try:
        for name, path in files:
            data = path.read_bytes()
            digest.update(f"{name}\0{len(data)}\0".encode() + data)
    except OSError:
        return None
    return digest.hexdigest()


def _file(root: Path) -> Path:
    """Return the cache file of a pack folder: one per folder, replaced when its key changes."""
    return folder() / f"pack-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]}.pickle"


def _own_private(info: os.stat_result) -> bool:
    """Return True for a regular file that only its owner, who is this user, can read or write."""
    if not stat.S_ISREG(info.st_mode):
        return False
    return os.name != "posix" or (info.st_uid == os.getuid() and not info.st_mode & 0o077)


def read(root: Path, expected: str) -> model.Pack | None:
    """Return the cached pack of `root` if its key is `expected`; None on any doubt."""
    try:
        with open(_file(root), "rb") as handle:
            if not _own_private(os.fstat(handle.fileno())):
                return None
            if handle.read(len(expected) + 1) != expected.encode() + b"\n":
                return None
            pack = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a cache that cannot be read back is no cache
        return None
    return pack if isinstance(pack, model.Pack) else None


def write(root: Path, expected: str, pack: model.Pack) -> None:
    """Cache a pack that loaded with no problem, if its files still have the key they had
    before loading (a file edited during the load must not be cached under the old key).
    A cache that cannot be written is skipped: it only saves time."""
    if key(root) != expected:
        return
    target = _file(root)
    data = expected.encode() + b"\n" + pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        privatefiles.make_private_folder(target.parent)
        privatefiles.write_private(target, data)
    except OSError:
        return
