"""An officer's visit: `start`, `resume` and `sessions`."""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ms_navigator import engine, loader, model
from ms_navigator.errors import MissingAnswer, NavigatorError
from ms_navigator.privatefiles import write_private
from ms_navigator.render import output as plan_output
from ms_navigator.safeio import escape

if TYPE_CHECKING:
    from ms_navigator import store, visit


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


VIEWS = ("full", "compact", "pager")
"""How the plan is shown on screen: all of it, one line a step (`--compact`), or the whole
plan in a pager (`--pager`). Each ends with what to do first."""


def _show(plan: engine.Plan, explain: bool, plain: bool, view: str = "full") -> None:
    """Show the plan on the terminal; the last thing on screen is what to do first."""
    from ms_navigator.render import terminal

    console = terminal.console(plain=plain)
    if view == "compact":
        console.print(terminal.compact(plan))
        return
    if view == "pager":  # the pager closes on the whole plan: what to do first stays on screen
        with console.pager(styles=not plain):
            console.print(terminal.plan(plan, explain))
        console.print()
        console.print(terminal.do_first(plan))
    else:  # the full plan ends with what to do first
        console.print(terminal.plan(plan, explain))


def _at_terminal() -> bool:
    from ms_navigator.prompts import is_terminal

    return is_terminal(sys.stdout)


def _deliver(pack: model.Pack, plan: engine.Plan, fmt: str, output: Path | None,
             asked: bool, notes: str | None = None, explain: bool = False,
             plain: bool = False, force: bool = False, view: str = "full") -> int:
    """Write the case summary to --output and show the plan on screen when a person is at the
    terminal (contract, section 1), or print the plan; return 0."""
    if output == STDOUT:
        sys.stdout.write(plan_output.summary_text(pack, plan, fmt, notes, explain))
        return 0
    if output is not None:
        _check_output(output, force)  # again: the file may have appeared while asking
        try:
            write_private(output, plan_output.summary_text(pack, plan, fmt, notes, explain))
        except OSError as err:
            raise NavigatorError(f"cannot write the case summary to {escape(str(output))} "
                                 f"({err.strerror or err}).") from None
        sys.stderr.write(f"Case summary written to {escape(str(output))} "
                         "(readable by you only).\n")
        sys.stderr.flush()
        if asked or _at_terminal():
            _show(plan, explain, plain, view)
    elif fmt == "text" and (asked or _at_terminal()):
        _show(plan, explain, plain, view)
    else:
        sys.stdout.write(plan_output.plan_text(plan, fmt, explain=explain))
    return 0


def _given(fmt: str | None, where: str | None, force: bool, plain: bool,
           explain: bool) -> store.Options:
    """Return the options given on the command line, as a saved visit keeps them (`where`:
    the --output as `_where_to` gives it)."""
    from ms_navigator import store  # only where a visit is saved: not for start --answers

    return store.Options(where, fmt, force, plain, explain)


def _where_to(output: Path | None) -> str | None:
    """Return where the case summary goes as a saved visit keeps it: an absolute path, "-"
    for standard output, or None."""
    return None if output is None else ("-" if output == STDOUT else str(Path.cwd() / output))


def _output_of(options: store.Options) -> Path | None:
    return None if options.output is None else Path(options.output)


def start(pathway: str | None, answers: str | None, fmt: str | None, output: Path | None,
          save: bool = True, explain: bool = False, plain: bool = False,
          force: bool = False, view: str = "full") -> int:
    """Run a session (asking, or from an answers file) and print or write the plan."""
    from ms_navigator.prompts import plain_wanted

    if pathway is not None and not pathway.strip():
        raise NavigatorError("--pathway needs a pathway id; run 'ms-navigator list' to see them.")
    where = _where_to(output)  # first, as before: the same error for a folder that is gone
    fmt_given, fmt = fmt, _format_for(fmt, output)
    _check_output(output, force)
    pack = loader.load_pack_or_raise()
    if answers is None:
        from ms_navigator import visit

        given = _given(fmt_given, where, force, plain, explain)
        display = visit.Display(explain, plain_wanted(plain))
        finished = visit.fresh(pack, pathway, save, output is not None, display, given)
        if finished.resume_instead is not None:
            return _resume_saved(pack, finished.resume_instead, given, view)
        return _finish(pack, finished, fmt, output, display, force, view)
    # here, not before a first question: the answers file's YAML reader, the plan's reasons
    from ms_navigator import answers as answers_file
    from ms_navigator import plans

    read = answers_file.read(answers)
    try:
        # the text plan shows why a step is there only to explain; every other output says it
        reasons = explain or fmt != "text" or output is not None
        plan = plans.run_scripted(pack, pathway, read, reasons)
    except MissingAnswer as err:
        if fmt == "json":
            sys.stdout.write(json.dumps(err.as_json()) + "\n")
            return 2
        raise
    return _deliver(pack, plan, fmt, output, asked=False, explain=explain, force=force, view=view)


def resume(ident: str | None, fmt: str | None, output: Path | None, force: bool = False,
           plain: bool = False, explain: bool = False, view: str = "full") -> int:
    """Continue a saved visit where it stopped with the options it was started with (those
    given here replace them), then show the plan and write the case summary."""
    from ms_navigator import visit

    pack = loader.load_pack_or_raise()
    saved = visit.pick(ident)
    return _resume_saved(pack, saved, _given(fmt, _where_to(output), force, plain, explain), view)


def _resume_saved(pack: model.Pack, saved: store.Saved, given: store.Options,
                  view: str = "full") -> int:
    """Carry on with a saved visit: its options with the given ones in their place, the
    output checked before any question, and a line that says where the plan will go."""
    from ms_navigator import visit
    from ms_navigator.prompts import plain_wanted

    options = saved.options.overridden(given)
    output = _output_of(options)
    fmt = _format_for(options.fmt, output)
    _check_output(output, options.force)
    display = visit.Display(options.explain, plain_wanted(options.plain))
    sys.stderr.write(_where(options) + "\n")
    finished = visit.resumed(pack, replace(saved, options=options), output is not None, display)
    return _finish(pack, finished, fmt, output, display, options.force, view)


def _where(options: store.Options) -> str:
    """Say where the plan of a resumed visit will go, and with which options."""
    shown = []
    if options.plain:
        shown.append("plain mode")
    if options.explain:
        shown.append("explanations")
    how = f" ({', '.join(shown)})" if shown else ""
    if options.output == "-":
        return f"The case summary will be written to standard output{how}."
    if options.output:
        return (f"The plan will be shown on screen{how} and the case summary written to "
                f"{escape(options.output)}.")
    return f"The plan will be shown on screen{how}."


def _finish(pack: model.Pack, finished: visit.Finished, fmt: str, output: Path | None,
            display: visit.Display | None = None, force: bool = False,
            view: str = "full") -> int:
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
                 explain=explain, plain=plain, force=force, view=view)
    except NavigatorError as err:
        sys.stderr.write(f"Error: {err}\nThe plan is shown here instead:\n")
        _deliver(pack, finished.plan, "text", None, asked=True, explain=explain, plain=plain,
                 view=view)
        if finished.kept:
            notes = " and notes" if finished.notes else ""
            again = f"ms-navigator resume {finished.saved_id}" if finished.saved_id else "ms-navigator resume"
            sys.stderr.write(f"The answers{notes} are still saved in {store.folder()}: run "
                             f"'{again} --output FILE' with another FILE to write the case "
                             "summary.\n")
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
                                      "updated": s.updated.isoformat(timespec="seconds"),
                                      "output": s.options.output}
                                     for s in rows], indent=2) + "\n")
        return 0
    for s in rows:
        goes = f"  summary to {escape(s.options.output)}" if s.options.output else ""
        sys.stdout.write(f"{s.id}  last saved {s.updated.astimezone():%d %b %Y %H:%M}  "
                         f"{len(s.answers)} answer(s)  starts at {s.start}{goes}\n")
    count = {0: "No saved visits", 1: "1 saved visit"}.get(len(rows), f"{len(rows)} saved visits")
    sys.stdout.write(f"{count} in {store.folder()}; each is deleted "
                     f"{days} days after its last answer (set {store.DAYS_ENV} to change).\n")
    return 0
