"""`ms-navigator site DIR`: write the trainers' static site (pages from `render.site`).

The renderer returns the files' text; this module only writes them, carefully: every file
owner-only and written whole (a temporary file, then a rename, which replaces a symbolic link
rather than following it); the folder itself must not be a symbolic link; a folder that holds
anything other than a site made before by this command is refused unless `force` is given.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ms_navigator import loader, scenarios
from ms_navigator.errors import NavigatorError, PackError
from ms_navigator.privatefiles import write_private

_PAGES = ("pathway-", "scenario-")
"""File names of pages made for one pathway or scenario: those left from an older site go."""


def _is_previous_site(folder: Path) -> bool:
    """Return True when the folder's index.html is a regular file this command wrote."""
    from ms_navigator.render.site import GENERATOR

    index = folder / "index.html"
    try:
        if not stat.S_ISREG(os.lstat(index).st_mode):
            return False
        with open(index, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head


def _check_folder(folder: Path, force: bool) -> bool:
    """Refuse a folder the site must not go into; return True if it holds a previous site."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return False
    except OSError as err:
        raise NavigatorError(f"cannot use {folder} ({err.strerror or err}).") from None
    if stat.S_ISLNK(mode):
        raise NavigatorError(f"{folder} is a symbolic link: give the real folder, or a new one.")
    if not stat.S_ISDIR(mode):
        raise NavigatorError(f"{folder} is not a folder: give a new or empty folder for the site.")
    previous = _is_previous_site(folder)
    if not previous and not force and any(folder.iterdir()):
        raise NavigatorError(
            f"{folder} is not empty and does not hold a site made by ms-navigator, so nothing was "
            "written. Give a new or empty folder, or add --force to write the site into it anyway.")
    return previous


def write(folder: Path, files: dict[str, str], force: bool = False) -> None:
    """Write the site's files into a folder (created owner-only if it does not exist)."""
    previous = _check_folder(folder, force)
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
        if previous:  # pages of pathways or scenarios that no longer exist
            for old in folder.iterdir():
                if (old.name.startswith(_PAGES) and old.suffix == ".html" and old.name not in files
                        and stat.S_ISREG(os.lstat(old).st_mode)):
                    old.unlink()
        for name, text in files.items():
            write_private(folder / name, text)
    except OSError as err:
        raise NavigatorError(f"cannot write the site into {folder} ({err.strerror or err}).") from None


def site(folder: Path, force: bool = False) -> int:
    """Write the static site of the shipped pack and its worked scenarios into a folder."""
    from ms_navigator.render import site as pages

    pack = loader.load_pack_or_raise()
    found, problems = scenarios.load([scenarios.shipped_dir()])
    if problems:
        raise PackError(problems)
    files = pages.files(pack, [s for s, _ in found])
    write(folder, files, force)
    sys.stderr.write(f"Wrote {len(files)} files to {folder}. Open {folder / 'index.html'} in a "
                     "browser: it needs no server and no network.\n")
    return 0
