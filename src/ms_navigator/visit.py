"""An officer's visit in the terminal: ask with autosave, review, pause or quick exit, resume.

This is where the question loop meets the session store: `commands` decides what to do with
the plan; the engine never sees the disk.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from ms_navigator import engine, interactive, loader, model, prompts, store
from ms_navigator.errors import Interrupted, InvalidAnswer
from ms_navigator.render import terminal

CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"
"""Clear the screen and the scrollback, so the quick exit leaves nothing on view."""


@dataclass(frozen=True)
class Finished:
    """The end of a visit: the plan (None when the officer left before it), and the saved
    visit to delete once the plan has been shown or written (not before: a full disk must
    not cost the answers)."""

    plan: engine.Plan | None
    notes: str | None = None
    saved_id: str | None = None


class _Autosave:
    """Saves the session after every change, once there is something worth keeping."""

    def __init__(self, saved: store.Saved | None) -> None:
        self.saved = saved
        self.on_disk = saved is not None and bool(saved.answers)

    def __call__(self, session: engine.Session) -> None:
        if self.saved is not None:
            self.saved = store.with_session(self.saved, session)
            store.save(self.saved)
            self.on_disk = True

    def forget(self) -> None:
        if self.saved is not None:
            store.delete(self.saved.id)


@dataclass(frozen=True)
class Display:
    """How questions are shown: with the why and sources (explain), and as numbered lines (plain)."""

    explain: bool = False
    plain: bool = False


def fresh(pack: model.Pack, pathway: str | None, saving: bool, notes: bool,
          display: Display = Display()) -> Finished:
    """Start a visit (offering to resume an unfinished one first, when saving)."""
    session = engine.start(pack, pathway)
    if not display.plain:  # plain mode reads numbered lines, so it also works through a pipe
        prompts.require_terminal()
    store.expire(store.keep_days())
    if not saving:
        return _run(pack, session, None, notes, display)
    unfinished = store.all_saved()
    if unfinished and not display.plain:
        latest = unfinished[0]
        picked = _ask_to_resume(latest)
        if picked == prompts.QUIT:
            return _left(None, delete=True)
        if picked == "resume":
            return resumed(pack, latest, notes, display)
        if picked == "replace":
            store.delete(latest.id)
    return _run(pack, session, store.new(session.start, _fingerprint()), notes, display)


def _ask_to_resume(latest: store.Saved) -> str:
    try:
        return prompts.choose(
            f"A visit saved {_when(latest)} ({len(latest.answers)} answers) was not finished. "
            "Resume it?",
            [("resume", "Resume it"), ("new", "Start a new visit (keep the saved one)"),
             ("replace", "Start a new visit and delete the saved one")])
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the saved visit is kept.") from None


def resume(pack: model.Pack, ident: str | None, notes: bool,
           display: Display = Display()) -> Finished:
    """Continue a saved visit (the latest when no id is given)."""
    prompts.require_terminal()
    store.expire(store.keep_days())
    if ident is None:
        unfinished = store.all_saved()
        if not unfinished:
            raise store.StoreError("there is no saved visit to resume. Start one with "
                                   "'ms-navigator start'.")
        return resumed(pack, unfinished[0], notes, display)
    return resumed(pack, store.load(ident), notes, display)


def resumed(pack: model.Pack, saved: store.Saved, notes: bool,
            display: Display = Display()) -> Finished:
    """Warn about what changed since the save, keep only answers still valid, and carry on."""
    if saved.fingerprint != _fingerprint():
        sys.stderr.write(
            "Note: the pathway files have changed since this visit was saved. The answers are "
            "kept where they still fit; check each one on the review screen before the plan.\n")
    if saved.start not in pack.pathways:
        raise store.StoreError(f"the saved visit starts at pathway '{saved.start}', which no "
                               "longer exists. Delete it with 'ms-navigator sessions --delete "
                               f"{saved.id}'.")
    kept = []
    for fact, value in saved.answers:
        try:
            kept.append((fact, engine.check_answer(pack, fact, value)))
        except InvalidAnswer:
            sys.stderr.write(f"Note: the saved answer '{fact}: {value}' no longer fits the "
                             "pathways and will be asked again.\n")
    session = engine.prune(pack, engine.Session(saved.start, tuple(kept)))
    sys.stderr.write(f"Resuming the visit saved {_when(saved)}.\n")
    return _run(pack, session, saved, notes, display)


def _run(pack: model.Pack, session: engine.Session, saved: store.Saved | None,
         notes: bool, display: Display) -> Finished:
    console = terminal.console(plain=display.plain)
    autosave = _Autosave(saved)
    asker: prompts.Asker = (prompts.PlainAsker() if display.plain
                            else prompts.QuestionaryAsker(saving=saved is not None))
    try:
        plan = interactive.run(pack, session, asker, _shower(console, display.explain), autosave)
        text = prompts.notes() if notes and not display.plain else None
    except KeyboardInterrupt:
        kept = ("your answers are saved: run 'ms-navigator resume' to continue."
                if autosave.on_disk else "no plan was made and nothing was kept.")
        raise Interrupted(f"interrupted; {kept}") from None
    except interactive.Left as left:
        return _left(autosave, left.delete)
    if text == prompts.QUIT:
        return _left(autosave, delete=True)
    console.print()
    return Finished(plan, text or None, autosave.saved.id if autosave.saved else None)


def _left(autosave: _Autosave | None, delete: bool) -> Finished:
    if delete:
        if autosave is not None:
            autosave.forget()
        if sys.stdout.isatty() and not terminal.is_dumb():
            sys.stdout.write(CLEAR_SCREEN)
        sys.stdout.write("Quick exit.\n")
    elif autosave is not None and autosave.on_disk:
        sys.stdout.write(f"Paused. Run 'ms-navigator resume' to continue; saved visits are "
                         f"deleted after {store.keep_days()} days.\n")
    else:
        sys.stdout.write("Left before any answer: nothing was kept.\n")
    sys.stdout.flush()
    return Finished(None)


def _shower(console: Any, explain: bool = False) -> interactive.Show:
    shown: set[tuple[str, str]] = set()

    def show(walk: engine.Walk) -> None:
        for note in walk.guidance_since_last_answer:
            if (note.pathway, note.title) not in shown:
                shown.add((note.pathway, note.title))
                console.print(terminal.guidance(note))
        if walk.pending is None:
            console.print(terminal.heading("Your answers"), terminal.answers(walk.transcript))
            return
        context = terminal.question_context(walk.pending, explain)
        if context is not None:
            console.print(context)

    return show


def _fingerprint() -> str:
    return store.fingerprint(loader.shipped_pack_dir())


def _when(saved: store.Saved) -> str:
    return f"{saved.updated.astimezone():%d %b %Y at %H:%M}"
