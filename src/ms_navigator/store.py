"""Saved sessions on disk: autosave after every answer, resume later, expire after some days.

A saved session holds only what the engine needs to replay it (the start pathway and the
fact/value answers, which are fixed vocabulary) plus a fingerprint of the pathway files, the
tool version, two timestamps and the options the visit was started with (`Options`: where the
case summary goes, plain, explain), so that `resume` carries on as it began. No names, no notes:
nothing that identifies a survivor (the only text the user chose is the --output file name).
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
from typing import IO

from ms_navigator import __version__, safeio
from ms_navigator.errors import NavigatorError
from ms_navigator.privatefiles import make_private_folder, write_private
from ms_navigator.session import Session

DIR_ENV = "MS_NAVIGATOR_DATA_DIR"
"""A folder to put saved sessions in instead of the user's data folder (an encrypted drive,
tests). ms-navigator never changes that folder: it makes its own owner-only SUBFOLDER in it."""
SUBFOLDER = "ms-navigator-sessions"
DAYS_ENV = "MS_NAVIGATOR_KEEP_DAYS"
"""How many days a saved session is kept after its last change."""
DEFAULT_DAYS = 7
MAX_DAYS = 36_500
STALE_TEMP_SECONDS = 3600
"""A temporary file older than this was left by a crash between write and rename."""
MAX_BYTES = 64 * 1024
"""A saved session is a few hundred bytes: a larger file is not one (and is not read)."""

_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")
_OWN_FILE = re.compile(r"^\.?[0-9]{8}-[0-9]{6}-[0-9a-f]{4}\.(json|lock|notes)(\..+\.tmp)?$")
"""The names of the files this module writes: saved visits, their locks and notes, and the
temporary files of a write (`.ID.json.XXXX.tmp`). Nothing else in the folder is touched."""
_WORD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # ids and fact values: never free text
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_PATH_CHARS = 4096
FORMATS = (None, "text", "json", "markdown")


@dataclass(frozen=True)
class Options:
    """The options a visit was started with, kept so that `resume` restores them.

    `output` is the --output file as an absolute path (so that resuming from another folder
    writes where it was first asked for), "-" for standard output, or None; `fmt` is --format
    when it was given (else the format follows the file name).
    """

    output: str | None = None
    fmt: str | None = None
    force: bool = False
    plain: bool = False
    explain: bool = False

    def to_json(self) -> dict[str, object]:
        return {"output": self.output, "format": self.fmt, "force": self.force,
                "plain": self.plain, "explain": self.explain}

    @classmethod
    def from_json(cls, data: object) -> Options:
        """Return the options in a saved visit; ValueError if they are not options."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("not options")
        output, fmt = data.get("output"), data.get("format")
        flags = [data.get(k, False) for k in ("force", "plain", "explain")]
        if output is not None and (not isinstance(output, str) or not output
                                   or len(output) > MAX_PATH_CHARS or _CONTROL.search(output)):
            raise ValueError("not an output file")
        if fmt not in FORMATS or not all(isinstance(f, bool) for f in flags):
            raise ValueError("not options")
        return cls(output, fmt, *flags)

    def overridden(self, given: Options) -> Options:
        """Return these options with the ones given on the command line in their place.

        A new --output brings its own --force (the saved --force was for the saved file); a
        flag given (--plain, --explain, --force) is on, a flag not given keeps its saved value.
        """
        output: str | None
        if given.output is not None:
            output, force = given.output, given.force
        else:
            output, force = self.output, self.force or given.force
        return Options(output, given.fmt or self.fmt, force, self.plain or given.plain,
                       self.explain or given.explain)


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
    options: Options = Options()

    def session(self) -> Session:
        return Session(start=self.start, answers=self.answers)

    def to_json(self) -> str:
        return json.dumps({
            "format": 1, "id": self.id, "start": self.start,
            "answers": [list(pair) for pair in self.answers], "fingerprint": self.fingerprint,
            "tool_version": self.tool_version, "created": self.created.isoformat(),
            "updated": self.updated.isoformat(), "options": self.options.to_json()},
            indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Saved:
        """Return the session in a saved file; ValueError if it is not one (or holds free text)."""
        data = json.loads(text)
        answers = tuple((str(f), str(v)) for f, v in data["answers"])
        words = [data["start"], *(w for pair in answers for w in pair)]
        if not _ID.match(data["id"]) or not all(_WORD.match(w) for w in words):
            raise ValueError("not a saved session")
        return cls(data["id"], data["start"], answers, str(data["fingerprint"]),
                   str(data["tool_version"]), _aware(data["created"]), _aware(data["updated"]),
                   Options.from_json(data.get("options")))


def _aware(text: str) -> datetime:
    """Return a saved timestamp; one written without a time zone is read as UTC (so that it
    can be compared with the others rather than break every listing)."""
    at = datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


def new(start: str, fingerprint: str, options: Options = Options()) -> Saved:
    """Return a new, not yet written, saved session with a readable unique id."""
    at = now()
    ident = f"{at.astimezone():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    return Saved(ident, start, (), fingerprint, __version__, at, at, options)


def with_session(saved: Saved, session: Session) -> Saved:
    """Return the saved session updated to the session's answers, stamped now."""
    return replace(saved, start=session.start, answers=session.answers, updated=now())


def folder() -> Path:
    """Return the folder of saved sessions (MS_NAVIGATOR_DATA_DIR, else the user data folder)."""
    custom = os.environ.get(DIR_ENV)
    if custom:
        return Path(custom) / SUBFOLDER
    import platformdirs

    return Path(platformdirs.user_data_dir("ms-navigator", appauthor=False)) / "sessions"


def keep_days() -> int:
    """Return how many days sessions are kept (MS_NAVIGATOR_KEEP_DAYS, default 7)."""
    raw = os.environ.get(DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_DAYS
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_DAYS:
        raise StoreError(f"{DAYS_ENV} must be a whole number of days from 1 to {MAX_DAYS:,} "
                         f"(it is '{safeio.escape(raw[:20])}').")
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
        raise StoreError(f"cannot use the folder {where} for saved sessions "
                         f"({err.strerror or err}). Set {DIR_ENV} to another folder, or use "
                         "--no-save.") from None
    return where


def save(saved: Saved) -> None:
    """Write the session to its file, owner-only and atomically."""
    write_private(_private_folder() / f"{saved.id}.json", saved.to_json())


def save_notes(ident: str, text: str) -> Path:
    """Keep a visit's typed notes, owner-only, until its summary is written; return the file.

    Notes are free text, so they are never part of the saved visit itself: they live in their
    own file, deleted with the visit (summary written, quick exit, expiry, --delete).
    """
    path = _private_folder() / f"{ident}.notes"
    write_private(path, text)
    return path


def load_notes(ident: str) -> str:
    """Return the notes kept for a visit ("" when there are none or they cannot be read)."""
    where = folder()
    try:
        return safeio.read_file(where / f"{ident}.notes", MAX_BYTES, where).decode("utf-8")
    except (OSError, UnicodeDecodeError, NavigatorError):
        return ""


def all_saved() -> list[Saved]:
    """Return every readable saved session, most recently changed first."""
    where = folder()
    found = []
    for path in _own_files(where, ".json"):
        try:
            raw = safeio.read_file(path, MAX_BYTES, where, "saved visit")
            if os.name == "posix" and os.stat(path).st_uid != os.getuid():
                continue  # planted by another user: never offered
            saved = Saved.from_json(raw.decode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, NavigatorError):
            continue  # not a session (a folder, a FIFO, a broken file); `delete_all` removes it
        if saved.id == path.stem:
            found.append(saved)
    return sorted(found, key=lambda s: s.updated, reverse=True)


def _own_files(where: Path, suffix: str = "") -> list[Path]:
    """Return the files in the folder that this module wrote (by name), ending in suffix."""
    try:
        names = os.listdir(where)
    except OSError:
        return []
    return sorted(where / n for n in names if _OWN_FILE.match(n) and n.endswith(suffix))


def load(ident: str) -> Saved:
    """Return one saved session by id; StoreError naming the way to list them if none."""
    for saved in all_saved():
        if saved.id == ident:
            return saved
    raise StoreError(f"there is no saved session '{safeio.escape(ident[:40])}'. Run "
                     "'ms-navigator sessions' to list them.")


def delete(ident: str) -> bool:
    """Delete one saved session, its notes and the leftovers of its crashed writes; return
    False if there was no saved session."""
    if not _ID.match(ident):
        return False
    where = folder()
    path = where / f"{ident}.json"
    existed = path.is_file()
    for own in _own_files(where):
        if own.name.lstrip(".").startswith(ident + ".") and not own.name.endswith(".lock"):
            _unlink(own)
    if ident in _HELD:
        _HELD[ident].release()  # the visit is gone: its lock file goes too
    elif not is_open_elsewhere(ident):
        _unlink(where / f"{ident}.lock")
    return existed


def _unlink(path: Path) -> None:
    try:
        if not path.is_dir():
            path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        pass  # already gone, or its folder never was one


def delete_all() -> int:
    """Delete every saved session that is not open in another terminal (and the leftovers of
    crashed writes); return how many. Only this module's own files are touched."""
    where = folder()
    gone = 0
    for path in _own_files(where, ".json"):
        ident = path.stem
        if path.is_file() and not is_open_elsewhere(ident) and delete(ident):
            gone += 1
    for tmp in _own_files(where, ".tmp"):
        if not is_open_elsewhere(tmp.name.lstrip(".").split(".")[0]):
            _unlink(tmp)
    return gone


def expire(days: int) -> int:
    """Delete sessions unchanged for more than `days` days, and stale temporary files."""
    cutoff = now() - timedelta(days=days)
    gone = [s.id for s in all_saved() if s.updated < cutoff and not is_open_elsewhere(s.id)]
    for ident in gone:
        delete(ident)
    for tmp in _own_files(folder(), ".tmp"):
        try:
            if time.time() - tmp.lstat().st_mtime > STALE_TEMP_SECONDS:
                _unlink(tmp)
        except OSError:
            continue
    return len(gone)


# --- One terminal per visit ---------------------------------------------------------------


class Lock:
    """An exclusive lock on one visit, held while a terminal has it open (`flock` on an
    owner-only `ID.lock` file). Another terminal never resumes, offers or deletes it."""

    def __init__(self, ident: str, handle: IO[bytes] | None) -> None:
        self.ident = ident
        self._handle = handle
        if handle is not None:
            _HELD[ident] = self

    def release(self) -> None:
        """Release the lock; remove the lock file too once the visit is no longer saved."""
        if self._handle is not None:
            if not (folder() / f"{self.ident}.json").exists():
                _unlink(folder() / f"{self.ident}.lock")
            self._handle.close()  # closing the file releases the lock
            self._handle = None
            _HELD.pop(self.ident, None)


_HELD: dict[str, Lock] = {}
"""The locks this process holds (released when it ends, if not before)."""


class VisitInUse(StoreError):
    """The visit is open in another terminal."""


def lock(ident: str) -> Lock:
    """Take the lock of a visit; VisitInUse if another terminal holds it."""
    if ident in _HELD:
        return _HELD[ident]
    try:
        import fcntl
    except ImportError:  # Windows: no flock; one terminal per visit is then up to the user
        return Lock(ident, None)
    path = _private_folder() / f"{ident}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    handle = os.fdopen(fd, "r+b")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise VisitInUse(f"the visit {ident} is open in another terminal. Finish or pause it "
                         "there first.") from None
    return Lock(ident, handle)


def is_open_elsewhere(ident: str) -> bool:
    """Return True if another terminal holds the visit's lock now."""
    if ident in _HELD or not (folder() / f"{ident}.lock").exists():
        return False
    try:
        lock(ident).release()
    except VisitInUse:
        return True
    except (OSError, StoreError):
        return False
    return False

