"""Saved sessions on disk: autosave after every answer, resume later, expire after some days.

A saved session holds only what the engine needs to replay it (the start pathway and the
fact/value answers, which are fixed vocabulary) plus a fingerprint of the pathway files, the
tool version and two timestamps. No names, no free text: nothing that identifies a survivor.
Files are owner-only (0600, folder 0700) and written atomically (temporary file, then
rename), so a crash or a closed laptop lid leaves the previous save intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ms_navigator import __version__
from ms_navigator.errors import NavigatorError
from ms_navigator.privatefiles import make_private_folder, write_private
from ms_navigator.session import Session

DIR_ENV = "MS_NAVIGATOR_DATA_DIR"
"""Where saved sessions go instead of the user's data folder (tests, shared machines)."""
DAYS_ENV = "MS_NAVIGATOR_KEEP_DAYS"
"""How many days a saved session is kept after its last change."""
DEFAULT_DAYS = 7
STALE_TEMP_SECONDS = 3600
"""A temporary file older than this was left by a crash between write and rename."""

_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")
_WORD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # ids and fact values: never free text


class StoreError(NavigatorError):
    """A saved session is missing, unreadable, or the store is misconfigured."""


@dataclass(frozen=True)
class Saved:
    """One saved session and what it was saved against."""

    id: str
    start: str
    answers: tuple[tuple[str, str], ...]
    fingerprint: str
    tool_version: str
    created: datetime
    updated: datetime

    def session(self) -> Session:
        return Session(start=self.start, answers=self.answers)

    def to_json(self) -> str:
        return json.dumps({
            "format": 1, "id": self.id, "start": self.start,
            "answers": [list(pair) for pair in self.answers], "fingerprint": self.fingerprint,
            "tool_version": self.tool_version, "created": self.created.isoformat(),
            "updated": self.updated.isoformat()}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Saved:
        """Return the session in a saved file; ValueError if it is not one (or holds free text)."""
        data = json.loads(text)
        answers = tuple((str(f), str(v)) for f, v in data["answers"])
        words = [data["start"], *(w for pair in answers for w in pair)]
        if not _ID.match(data["id"]) or not all(_WORD.match(w) for w in words):
            raise ValueError("not a saved session")
        return cls(data["id"], data["start"], answers, str(data["fingerprint"]),
                   str(data["tool_version"]), datetime.fromisoformat(data["created"]),
                   datetime.fromisoformat(data["updated"]))


def now() -> datetime:
    return datetime.now(timezone.utc)


def new(start: str, fingerprint: str) -> Saved:
    """Return a new, not yet written, saved session with a readable unique id."""
    at = now()
    ident = f"{at.astimezone():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    return Saved(ident, start, (), fingerprint, __version__, at, at)


def with_session(saved: Saved, session: Session) -> Saved:
    """Return the saved session updated to the session's answers, stamped now."""
    return replace(saved, start=session.start, answers=session.answers, updated=now())


def folder() -> Path:
    """Return the folder of saved sessions (MS_NAVIGATOR_DATA_DIR, else the user data folder)."""
    custom = os.environ.get(DIR_ENV)
    if custom:
        return Path(custom)
    import platformdirs

    return Path(platformdirs.user_data_dir("ms-navigator", appauthor=False)) / "sessions"


def keep_days() -> int:
    """Return how many days sessions are kept (MS_NAVIGATOR_KEEP_DAYS, default 7)."""
    raw = os.environ.get(DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise StoreError(f"{DAYS_ENV} must be a whole number of days, 1 or more (it is '{raw}').")
    return int(raw)


def fingerprint(pack_dir: Path) -> str:
    """Return a short hash of the pathway and directory files, to notice content changes."""
    digest = hashlib.sha256()
    for path in sorted([*pack_dir.glob("*.yaml"), *pack_dir.glob("directory/*.yaml")]):
        digest.update(path.relative_to(pack_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _private_folder() -> Path:
    where = folder()
    try:
        make_private_folder(where)
    except OSError as err:
        raise StoreError(f"cannot use the folder {where} for saved sessions ({err.strerror}). "
                         f"Set {DIR_ENV} to another folder, or use --no-save.") from None
    return where


def save(saved: Saved) -> None:
    """Write the session to its file, owner-only and atomically."""
    write_private(_private_folder() / f"{saved.id}.json", saved.to_json())


def all_saved() -> list[Saved]:
    """Return every readable saved session, most recently changed first."""
    where = folder()
    found = []
    for path in where.glob("*.json") if where.is_dir() else []:
        try:
            found.append(Saved.from_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an unreadable file is not a session; `delete_all` removes it
    return sorted(found, key=lambda s: s.updated, reverse=True)


def load(ident: str) -> Saved:
    """Return one saved session by id; StoreError naming the way to list them if none."""
    for saved in all_saved():
        if saved.id == ident:
            return saved
    raise StoreError(f"there is no saved session '{ident}'. Run 'ms-navigator sessions' to list them.")


def delete(ident: str) -> bool:
    """Delete one saved session; return False if there was none."""
    if not _ID.match(ident):
        return False
    path = folder() / f"{ident}.json"
    if not path.exists():
        return False
    path.unlink()
    return True


def delete_all() -> int:
    """Delete every saved session file (and leftovers of crashed writes); return how many."""
    where = folder()
    if not where.is_dir():
        return 0
    paths = [*where.glob("*.json"), *where.glob(".*.tmp")]
    for path in paths:
        path.unlink()
    return sum(not p.name.startswith(".") for p in paths)


def expire(days: int) -> int:
    """Delete sessions unchanged for more than `days` days, and stale temporary files."""
    cutoff = now() - timedelta(days=days)
    gone = [s.id for s in all_saved() if s.updated < cutoff]
    for ident in gone:
        delete(ident)
    where = folder()
    for tmp in where.glob(".*.tmp") if where.is_dir() else []:
        if time.time() - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
            tmp.unlink()
    return len(gone)

