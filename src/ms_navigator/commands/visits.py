"""An officer's visit: `start`, `resume` and `sessions`."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ms_navigator import engine, loader, model, plans
from ms_navigator.errors import MissingAnswer, NavigatorError
from ms_navigator.privatefiles import write_private
from ms_navigator.render import output as plan_output
from ms_navigator.safeio import escape

if TYPE_CHECKING:
    from ms_navigator import visit


STDOUT = Path("-")
"""`--output -`: the case summary goes to standard output instead of a file."""


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt
    suffix = output.suffix.lower() if output else ""
    return {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "text")


def _check_output(output: Path | None, force: bool = False) -> None:
    """Refuse an --output that cannot be written, before any question is asked (contract,
    section 1): only a regular file is written; an existing one only with --force; a folder,
    a device, a link or any other special file never (so /dev/stdout is never replaced)."""
    if output is None or output == STDOUT:
        return
    shown = escape(str(output))
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise NavigatorError(f"--output {shown}: {err.strerror or err}.") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise NavigatorError(f"--output {shown} is a folder; give a file name.")
        if not stat.S_ISREG(info.st_mode):
            raise NavigatorError(f"--output {shown} is a link, a device or another special "
                                 "file; only a regular file is written. Give a file name "
                                 "(or - for standard output).")
        if not force:
            raise NavigatorError(f"--output {shown} already exists; give another file name, "
                                 "or add --force to replace it.")
    if not output.parent.is_dir():
        raise NavigatorError(f"--output {shown}: the folder {escape(str(output.parent))} "
                             "does not exist.")


def _deliver(pack: model.Pack, plan: engine.Plan, fmt: str, output: Path | None,
             asked: bool, notes: str | None = None, explain: bool = False,
             plain: bool = False, force: bool = False) -> int:
    """Write the case summary to --output, or print the plan; return 0."""
    if output == STDOUT:
        sys.stdout.write(plan_output.summary_text(pack, plan, fmt, notes, explain))
    elif output is not None:
        _check_output(output, force)  # again: the file may have appeared while asking
        try:
            write_private(output, plan_output.summary_text(pack, plan, fmt, notes, explain))
        except OSError as err:
            raise NavigatorError(f"cannot write the case summary to {escape(str(output))} "
                                 f"({err.strerror or err}).") from None
        sys.stderr.write(f"Case summary written to {escape(str(output))} "
                         "(readable by you only).\n")
    elif fmt == "text" and asked:
        from ms_navigator.render import terminal

        terminal.console(plain=plain).print(terminal.plan(plan, explain))
    else:
        sys.stdout.write(plan_output.plan_text(plan, fmt, explain=explain))
    return 0


def start(pathway: str | None, answers: str | None, fmt: str | None, output: Path | None,
          save: bool = True, explain: bool = False, plain: bool = False,
          force: bool = False) -> int:
    """Run a session (asking, or from an answers file) and print or write the plan."""
    from ms_navigator import answers as answers_file
    from ms_navigator.prompts import plain_wanted

    if pathway is not None and not pathway.strip():
        raise NavigatorError("--pathway needs a pathway id; run 'ms-navigator list' to see them.")
    fmt = _format_for(fmt, output)
    _check_output(output, force)
    pack = loader.load_pack_or_raise()
    if answers is None:
        from ms_navigator import visit

        display = visit.Display(explain, plain_wanted(plain))
        finished = visit.fresh(pack, pathway, save, output is not None, display)
        return _finish(pack, finished, fmt, output, display, force)
    given = answers_file.read(answers)
    try:
        plan = plans.run_scripted(pack, pathway, given)
    except MissingAnswer as err:
        if fmt == "json":
            sys.stdout.write(json.dumps(err.as_json()) + "\n")
            return 2
        raise
    return _deliver(pack, plan, fmt, output, asked=False, explain=explain, force=force)


def resume(ident: str | None, fmt: str | None, output: Path | None, force: bool = False) -> int:
    """Continue a saved visit where it stopped, then print or write the plan."""
    from ms_navigator import visit
    from ms_navigator.prompts import plain_wanted

    fmt = _format_for(fmt, output)
    _check_output(output, force)
    pack = loader.load_pack_or_raise()
    display = visit.Display(plain=plain_wanted(False))  # TERM=dumb
    finished = visit.resume(pack, ident, output is not None, display)
    return _finish(pack, finished, fmt, output, display, force)


def _finish(pack: model.Pack, finished: visit.Finished, fmt: str, output: Path | None,
            display: visit.Display | None = None, force: bool = False) -> int:
    """Show or write the plan of a visit, then delete its saved answers: nothing stays behind.

    When the summary cannot be written, the plan is shown on screen and the answers (and
    notes) stay saved, so that nothing is lost and the summary can be written elsewhere.
    """
    from ms_navigator import store

    if finished.plan is None:
        return 0
    explain, plain = (display.explain, display.plain) if display else (False, False)
    try:
        _deliver(pack, finished.plan, fmt, output, asked=True, notes=finished.notes,
                 explain=explain, plain=plain, force=force)
    except NavigatorError as err:
        sys.stderr.write(f"Error: {err}\nThe plan is shown here instead:\n")
        _deliver(pack, finished.plan, "text", None, asked=True, explain=explain, plain=plain)
        if finished.kept:
            notes = " and notes" if finished.notes else ""
            sys.stderr.write(f"The answers{notes} are still saved in {store.folder()}: run "
                             "'ms-navigator resume --output FILE' with another FILE to write "
                             "the case summary.\n")
        elif finished.notes:
            sys.stdout.write(f"\nYour notes (copy them now):\n{finished.notes}\n")
        return err.exit_code
    if finished.saved_id is not None:
        store.delete(finished.saved_id)
    return 0


def sessions(delete: str | None, delete_all: bool, fmt: str) -> int:
    """List saved visits, or delete one or all of them. Expired visits go first."""
    from ms_navigator import store

    days = store.keep_days()
    store.expire(days)
    if delete_all:
        sys.stdout.write(f"Deleted {store.delete_all()} saved visit(s).\n")
        return 0
    if delete is not None:
        if store.is_open_elsewhere(delete):
            raise store.VisitInUse(f"the visit {escape(delete[:40])} is open in another "
                                   "terminal; it is not deleted.")
        if not store.delete(delete):
            raise store.StoreError(f"there is no saved visit '{escape(delete[:40])}'. Run 'ms-navigator "
                                   "sessions' to list them.")
        sys.stdout.write(f"Deleted saved visit {delete}.\n")
        return 0
    rows = store.all_saved()
    if fmt == "json":
        sys.stdout.write(json.dumps([{"id": s.id, "start": s.start, "answers": len(s.answers),
                                      "created": s.created.isoformat(timespec="seconds"),
                                      "updated": s.updated.isoformat(timespec="seconds")}
                                     for s in rows], indent=2) + "\n")
        return 0
    for s in rows:
        sys.stdout.write(f"{s.id}  last saved {s.updated.astimezone():%d %b %Y %H:%M}  "
                         f"{len(s.answers)} answer(s)  starts at {s.start}\n")
    count = {0: "No saved visits", 1: "1 saved visit"}.get(len(rows), f"{len(rows)} saved visits")
    sys.stdout.write(f"{count} in {store.folder()}; each is deleted "
                     f"{days} days after its last answer (set {store.DAYS_ENV} to change).\n")
    return 0
