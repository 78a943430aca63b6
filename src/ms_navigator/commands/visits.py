"""An officer's visit: `start`, `resume` and `sessions`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ms_navigator import engine, loader, model, plans
from ms_navigator.errors import MissingAnswer, NavigatorError
from ms_navigator.privatefiles import write_private
from ms_navigator.render import output as plan_output

if TYPE_CHECKING:
    from ms_navigator import visit


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt
    suffix = output.suffix.lower() if output else ""
    return {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "text")


def _check_output(output: Path | None) -> None:
    """Refuse an --output that cannot be written before any question is asked."""
    if output is None:
        return
    if output.is_dir():
        raise NavigatorError(f"--output {output} is a folder; give a file name.")
    if not output.parent.is_dir():
        raise NavigatorError(f"--output {output}: the folder {output.parent} does not exist.")


def _deliver(pack: model.Pack, plan: engine.Plan, fmt: str, output: Path | None,
             asked: bool, notes: str | None = None, explain: bool = False,
             plain: bool = False) -> int:
    """Write the case summary to --output, or print the plan; return 0."""
    if output is not None:
        try:
            write_private(output, plan_output.summary_text(pack, plan, fmt, notes, explain))
        except OSError as err:
            raise NavigatorError(f"cannot write the case summary to {output} "
                                 f"({err.strerror or err}).") from None
        sys.stderr.write(f"Case summary written to {output} (readable by you only).\n")
    elif fmt == "text" and asked:
        from ms_navigator.render import terminal

        terminal.console(plain=plain).print(terminal.plan(plan, explain))
    else:
        sys.stdout.write(plan_output.plan_text(plan, fmt, explain=explain))
    return 0


def start(pathway: str | None, answers: str | None, fmt: str | None, output: Path | None,
          save: bool = True, explain: bool = False, plain: bool = False) -> int:
    """Run a session (asking, or from an answers file) and print or write the plan."""
    from ms_navigator import answers as answers_file
    from ms_navigator.prompts import plain_wanted

    fmt = _format_for(fmt, output)
    _check_output(output)
    pack = loader.load_pack_or_raise()
    if answers is None:
        from ms_navigator import visit

        display = visit.Display(explain, plain_wanted(plain))
        finished = visit.fresh(pack, pathway, save, output is not None, display)
        return _finish(pack, finished, fmt, output, display)
    given = answers_file.read(answers)
    try:
        plan = plans.run_scripted(pack, pathway, given)
    except MissingAnswer as err:
        if fmt == "json":
            sys.stdout.write(json.dumps(err.as_json()) + "\n")
            return 2
        raise
    return _deliver(pack, plan, fmt, output, asked=False, explain=explain)


def resume(ident: str | None, fmt: str | None, output: Path | None) -> int:
    """Continue a saved visit where it stopped, then print or write the plan."""
    from ms_navigator import visit

    fmt = _format_for(fmt, output)
    _check_output(output)
    pack = loader.load_pack_or_raise()
    return _finish(pack, visit.resume(pack, ident, output is not None), fmt, output)


def _finish(pack: model.Pack, finished: visit.Finished, fmt: str, output: Path | None,
            display: visit.Display | None = None) -> int:
    """Show or write the plan of a visit, then delete its saved answers: nothing stays behind."""
    from ms_navigator import store

    if finished.plan is None:
        return 0
    explain, plain = (display.explain, display.plain) if display else (False, False)
    try:
        _deliver(pack, finished.plan, fmt, output, asked=True, notes=finished.notes,
                 explain=explain, plain=plain)
    except NavigatorError:
        if finished.saved_id is not None:
            sys.stderr.write("The answers are still saved: run 'ms-navigator resume --output "
                             "FILE' to make the plan again.\n")
        raise
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
        if not store.delete(delete):
            raise store.StoreError(f"there is no saved visit '{delete}'. Run 'ms-navigator "
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
