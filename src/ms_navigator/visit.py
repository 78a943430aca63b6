"""An officer's visit in the terminal: ask with autosave, review, pause or quick exit, resume.

This is where the question loop meets the session store: `commands` decides what to do with
the plan; the engine never sees the disk.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import Any

from ms_navigator import engine, interactive, loader, model, prompts, store
from ms_navigator.errors import Interrupted, InvalidAnswer
from ms_navigator.render import terminal
from ms_navigator.safeio import escape

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
    kept: bool = False
    """True when the latest answers (and notes) are on disk, to be made into a plan again."""
    resume_instead: store.Saved | None = None
    """The saved visit the officer chose to resume when `start` offered it: the command then
    carries on with it as `resume` does, with its saved options."""


SAVE_FAILED = (
    "Warning: the answers could not be saved to disk ({reason}). The visit goes on: every "
    "answer is kept in this window, and the plan will be shown on screen at the end. If you "
    "need to leave, choose Pause: the answers are then shown as lines to keep in a file.")
SAVED_AGAIN = "The answers are being saved to disk again."


class _Autosave:
    """Saves the session after every change, once there is something worth keeping.

    A save that fails (a full disk, a read-only folder) never ends the visit: it is said once,
    the answers stay in memory, and each later answer tries again.
    """

    def __init__(self, saved: store.Saved | None) -> None:
        self.saved = saved
        self.on_disk = saved is not None and bool(saved.answers)
        self.failing: str | None = None  # why the last save failed, while it keeps failing

    def __call__(self, session: engine.Session) -> None:
        if self.saved is None:
            return
        self.saved = store.with_session(self.saved, session)
        try:
            store.save(self.saved)
        except (OSError, store.StoreError) as err:
            if self.failing is None:
                sys.stderr.write(SAVE_FAILED.format(reason=_reason(err)) + "\n")
            self.failing = _reason(err)
            return
        if self.failing is not None:
            sys.stderr.write(SAVED_AGAIN + "\n")
        self.failing = None
        self.on_disk = True

    @property
    def safe(self) -> bool:
        """Return True when the latest answers are on disk."""
        return self.on_disk and self.failing is None

    def forget(self) -> None:
        if self.saved is not None:
            store.delete(self.saved.id)

    def keep_notes(self, text: str) -> str:
        """Keep typed notes in an owner-only file next to the saved visit; return where they
        are (or, when they cannot be written, show them so that they are not lost)."""
        if self.saved is not None and text.strip():
            try:
                return f"your notes are kept in {store.save_notes(self.saved.id, text)}"
            except (OSError, store.StoreError):
                pass
        if not text.strip():
            return "there were no notes"
        sys.stdout.write("\nYour notes (they could not be saved; copy them now):\n"
                         f"{text}\n")
        return "your notes are shown above"


def _reason(err: Exception) -> str:
    return (getattr(err, "strerror", None) or str(err))[:200]


def _answers_lines(session: engine.Session) -> str:
    """Return the answers as an answers file (`start --answers FILE` carries on from them)."""
    return "".join(f"{fact}: {value}\n" for fact, value in session.answers)


@dataclass(frozen=True)
class Display:
    """How questions are shown: with the why and sources (explain), and as numbered lines (plain)."""

    explain: bool = False
    plain: bool = False


def fresh(pack: model.Pack, pathway: str | None, saving: bool, notes: bool,
          display: Display = Display(), options: store.Options = store.Options()) -> Finished:
    """Start a visit (offering to resume an unfinished one first, when saving).

    `options` are saved with the visit, so that `resume` restores them. When the officer
    chooses to resume the unfinished visit, it is returned as `resume_instead`: where its plan
    goes depends on its own saved options, which the command checks before asking anything.
    """
    session = engine.start(pack, pathway)
    if not display.plain:  # plain mode reads numbered lines, so it also works through a pipe
        prompts.require_terminal()
    store.expire(store.keep_days())
    if not saving:
        return _run(pack, session, None, notes, display)
    # A visit open in another terminal is never offered, so never resumed or deleted here.
    unfinished = [s for s in store.all_saved() if not store.is_open_elsewhere(s.id)]
    if unfinished:
        latest = unfinished[0]
        picked = _ask_to_resume(latest, display.plain)
        if picked == prompts.QUIT:
            store.delete(latest.id)
            return _left(None, delete=True)
        if picked == "resume":
            return Finished(None, resume_instead=latest)
        if picked == "replace":
            store.delete(latest.id)
    saved = store.new(session.start, _fingerprint(), options)
    # An unusable folder is not an error here: the first autosave says so, and the visit goes on.
    with contextlib.suppress(OSError, store.StoreError):
        store.lock(saved.id)
    return _run(pack, session, saved, notes, display)


def _ask_to_resume(latest: store.Saved, plain: bool) -> str:
    question = (f"A visit saved {_when(latest)} ({len(latest.answers)} answers) was not "
                "finished. Resume it?")
    choices = [("resume", "Resume it"), ("new", "Start a new visit (keep the saved one)"),
               ("replace", "Start a new visit and delete the saved one")]
    try:
        if plain:
            return prompts.PlainAsker(saving=False).choose(question, choices)
        return prompts.choose(question, choices)
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the saved visit is kept.") from None


def pick(ident: str | None) -> store.Saved:
    """Return the saved visit to resume: the one named, or the latest not open elsewhere."""
    store.expire(store.keep_days())
    if ident is None:
        unfinished = [s for s in store.all_saved() if not store.is_open_elsewhere(s.id)]
        if not unfinished:
            raise store.StoreError("there is no saved visit to resume. Start one with "
                                   "'ms-navigator start'.")
        return unfinished[0]
    return store.load(ident)


def resumed(pack: model.Pack, saved: store.Saved, notes: bool,
            display: Display = Display()) -> Finished:
    """Warn about what changed since the save, keep only answers still valid, and carry on.
    The visit's lock is taken first: a visit open in another terminal is not resumed."""
    if not display.plain:
        prompts.require_terminal()
    store.lock(saved.id)
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
    asker: prompts.Asker = (prompts.PlainAsker(saving=saved is not None) if display.plain
                            else prompts.QuestionaryAsker(saving=saved is not None))
    latest = [session]

    def save(changed: engine.Session) -> None:
        latest[0] = changed
        autosave(changed)

    try:
        plan = interactive.run(pack, session, asker, _shower(pack, console, display), save)
        kept_notes = store.load_notes(saved.id) if saved is not None else ""
        text = None
        if notes:
            text = asker.notes(kept_notes) if isinstance(asker, prompts.PlainAsker) \
                else prompts.notes(kept_notes)
    except prompts.InterruptedNotes as stopped:
        where = autosave.keep_notes(stopped.text)
        raise Interrupted(f"interrupted; {_kept(autosave, latest[0])}; {where}.") from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {_kept(autosave, latest[0])}.") from None
    except interactive.Left as left:
        return _left(autosave, left.delete, latest[0])
    if text == prompts.QUIT:
        return _left(autosave, delete=True)
    if text and saved is not None:
        autosave.keep_notes(text)  # until the summary is written: a full disk must not lose them
    console.print()
    return Finished(plan, text or None, autosave.saved.id if autosave.saved else None,
                    autosave.safe)


def _kept(autosave: _Autosave, session: engine.Session) -> str:
    """Say truthfully what an interruption keeps (showing the answers when the disk failed)."""
    if autosave.saved is not None and session.answers and not autosave.safe:
        autosave(session)  # one more try: the disk may have room again
    if autosave.safe and autosave.saved is not None:
        return (f"your answers are saved: run '{resume_command(autosave.saved)}' to continue"
                f"{_where_to(autosave.saved.options)}")
    if autosave.saved is not None and session.answers:
        sys.stdout.write("\nThe answers could not be saved. Keep these lines in a file and "
                         "carry on with 'ms-navigator start --answers FILE':\n"
                         + _answers_lines(session))
        return "the answers are shown above"
    return "no plan was made and nothing was kept"


def resume_command(saved: store.Saved) -> str:
    """Return the exact command that continues this visit (its options are restored)."""
    return f"ms-navigator resume {saved.id}"


def _where_to(options: store.Options) -> str:
    if options.output == "-":
        return " (the case summary will still go to standard output)"
    if options.output:
        return f" (the case summary will still be written to {escape(options.output)})"
    return ""


def clear_screen() -> None:
    """Clear the screen and its scrollback, on a terminal that can."""
    if prompts.is_terminal(sys.stdout) and not terminal.is_dumb():
        sys.stdout.write(CLEAR_SCREEN)


def _left(autosave: _Autosave | None, delete: bool,
          session: engine.Session | None = None) -> Finished:
    if delete:
        if autosave is not None:
            autosave.forget()
        clear_screen()
        sys.stdout.write("Quick exit.\n")
    elif autosave is not None and session is not None and session.answers:
        kept = _kept(autosave, session)
        if autosave.safe and autosave.saved is not None:
            sys.stdout.write(f"Paused. Run '{resume_command(autosave.saved)}' to continue"
                             f"{_where_to(autosave.saved.options)}; saved visits are deleted "
                             f"after {store.keep_days()} days.\n")
        else:
            sys.stdout.write(f"Paused; {kept}.\n")
    else:
        sys.stdout.write("Left before any answer: nothing was kept.\n")
    sys.stdout.flush()
    return Finished(None)


def _shower(pack: model.Pack, console: Any, display: Display = Display()) -> interactive.Show:
    """Return what is shown before each question: the steps to do now that the last answer
    put in the plan (each once, however often the answers change), the guidance passed, and
    the question's help (with its why and source, to explain)."""
    shown: set[tuple[str, str]] = set()
    told: set[str] = set()

    def show(walk: engine.Walk) -> None:
        new = [s for s in engine.now_steps(pack, walk) if s.step.id not in told]
        if new:
            told.update(s.step.id for s in new)
            console.print(terminal.now_steps(new, plain=display.plain))
        for note in walk.guidance_since_last_answer:
            if (note.pathway, note.title) not in shown:
                shown.add((note.pathway, note.title))
                console.print(terminal.guidance(note))
        if walk.pending is None:
            console.print(terminal.heading("Your answers"), terminal.answers(walk.transcript))
            return
        context = terminal.question_context(walk.pending, display.explain)
        if context is not None:
            console.print(context)

    return show


def _fingerprint() -> str:
    return store.fingerprint(loader.shipped_pack_dir())


def _when(saved: store.Saved) -> str:
    return f"{saved.updated.astimezone():%d %b %Y at %H:%M}"
