"""What each CLI command does: call the library, send the rendered result where it belongs.

Each function returns the exit code (CONTRACT section 1): 0 success, 1 lint errors, 2 bad
usage or bad input, 130 interrupted.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ms_navigator import engine, loader, model
from ms_navigator.errors import (
    Interrupted,
    MissingAnswer,
    NavigatorError,
    PackError,
    UnknownPathway,
)
from ms_navigator.problems import Level
from ms_navigator.store import write_private

if TYPE_CHECKING:
    from ms_navigator import visit


def _console(stderr: bool = False, plain: bool = False) -> Any:
    from ms_navigator.render import terminal

    return terminal.console(stderr, plain)


def report_error(err: NavigatorError) -> int:
    """Print an expected error as plain lines on stderr; return its exit code."""
    if isinstance(err, PackError):
        sys.stderr.write("The pathway files have problems, so ms-navigator cannot run:\n")
        for problem in err.problems[:50]:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write("Run 'ms-navigator lint' on the folder for the full list.\n")
    elif isinstance(err, Interrupted):
        sys.stderr.write(f"\nInterrupted: {str(err).removeprefix('interrupted; ')}\n")
    else:
        sys.stderr.write(f"Error: {err}\n")
    return err.exit_code


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt
    suffix = output.suffix.lower() if output else ""
    return {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "text")


def render_plan_text(plan: engine.Plan, fmt: str, width: int = 100, explain: bool = False) -> str:
    """Return the plan as text in one of the formats, for a file or a pipe."""
    if fmt == "json":
        from ms_navigator.render import jsonfmt

        return jsonfmt.dumps(jsonfmt.plan_data(plan))
    if fmt == "markdown":
        from ms_navigator.render import markdown

        return markdown.render_plan(plan)
    import io

    from rich.console import Console

    from ms_navigator.render import terminal

    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(terminal.plan(plan, explain))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _summary_text(pack: model.Pack, plan: engine.Plan, fmt: str, notes: str | None,
                  explain: bool = False) -> str:
    """Return the case summary for --output: Markdown or JSON with the record; text as the plan."""
    from ms_navigator.record import record_for

    if fmt == "json":
        from ms_navigator.render import jsonfmt

        return jsonfmt.dumps(jsonfmt.summary_data(plan, record_for(pack, plan, notes)))
    if fmt == "markdown":
        from ms_navigator.render import markdown

        return markdown.render_summary(plan, record_for(pack, plan, notes))
    return render_plan_text(plan, fmt, explain=explain)


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
            write_private(output, _summary_text(pack, plan, fmt, notes, explain))
        except OSError as err:
            raise NavigatorError(f"cannot write the case summary to {output} "
                                 f"({err.strerror or err}).") from None
        sys.stderr.write(f"Case summary written to {output} (readable by you only).\n")
    elif fmt == "text" and asked:
        from ms_navigator.render import terminal

        _console(plain=plain).print(terminal.plan(plan, explain))
    else:
        sys.stdout.write(render_plan_text(plan, fmt, explain=explain))
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
        plan = engine.run_scripted(pack, pathway, given)
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


def services(nrm_status: str, gender: str | None, fmt: str) -> int:
    """Print the services the support table opens to a status and gender."""
    from ms_navigator import eligibility

    pack = loader.load_pack_or_raise()
    engine.check_answer(pack, "nrm_status", nrm_status)
    if gender is not None:
        engine.check_answer(pack, "gender", gender)
    table_id = next(iter(pack.tables))
    found = eligibility.offers(pack, table_id, nrm_status, gender)
    if fmt == "json":
        from ms_navigator.render import jsonfmt

        sys.stdout.write(jsonfmt.dumps({"nrm_status": nrm_status, "gender": gender,
                                        "services": [o.as_dict() for o in found]}))
        return 0
    from rich.text import Text

    from ms_navigator.render import terminal

    console = _console()
    status_label = pack.facts["nrm_status"].label(nrm_status)
    console.print(Text(f"Services for: {status_label}"
                       + (f"; gender: {pack.facts['gender'].label(gender)}" if gender else ""),
                       style="bold"))
    if nrm_status in pack.tables[table_id].status_unknown.values:
        console.print(pack.steps["confirm_nrm_status"].text)
    console.print()
    for part in terminal.offers(found):
        console.print(part)
    return 0


def lint(paths: list[Path], fmt: str, strict: bool, list_rules: bool,
         today: str | None = None) -> int:
    """Lint packs or files and print every problem; 1 on errors (or on warnings with --strict)."""
    from ms_navigator import lint as linter
    from ms_navigator.render import ci

    if list_rules:
        from ms_navigator.rules import RULES

        sys.stdout.write("".join(f"{r.id:<24} {r.level.value:<8} {r.summary}\n"
                                 for r in RULES.values()))
        return 0
    report = linter.run(paths, linter.as_of(today))
    problems = report.problems
    sys.stdout.write(ci.FORMATS[fmt](problems))
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = sum(p.level is Level.WARNING for p in problems)
    if fmt == "text":
        notes = len(problems) - errors - warnings
        sys.stderr.write(f"{errors} error(s), {warnings} warning(s)"
                         + (f", {notes} note(s)" if notes else "") + ".\n")
        for cover in report.coverage:
            sys.stderr.write(f"{cover.pack}: invariants checked on every path, {cover.paths:,} "
                             f"paths through {cover.states:,} distinct states.\n")
    return 1 if errors or (strict and warnings) else 0


def schema(kind: str, write: Path | None) -> int:
    """Print the JSON Schema of a kind of file, or write every schema into a folder."""
    from ms_navigator import schemas

    if write is not None:
        for path in schemas.write_all(write):
            sys.stderr.write(f"wrote {path}\n")
        return 0
    sys.stdout.write(schemas.json_schema(kind))
    return 0


def test(files: list[Path], pack_dir: Path | None) -> int:
    """Run scenario files and print a test-runner report; 1 if any scenario failed."""
    from ms_navigator import scenarios
    from ms_navigator.render import testreport

    results, problems = scenarios.run_files(files, pack_dir)
    sys.stdout.write(testreport.render(results, problems))
    return 1 if testreport.failed(results, problems) else 0


def impact(paths: list[Path], git_ref: str | None, fmt: str = "text") -> int:
    """Print which answer combinations get different steps or services after a change."""
    from ms_navigator import impact as impact_

    if git_ref is None and len(paths) != 2:
        raise NavigatorError("give OLD_DIR and NEW_DIR, or --git-ref REF [NEW_DIR].")
    if git_ref is not None and len(paths) > 1:
        raise NavigatorError("with --git-ref give at most one folder: the new pack.")
    if git_ref is None:
        old, new = (loader.load_pack_or_raise(p) for p in paths)
        report = impact_.compare(old, new)
    else:
        new_dir = paths[0] if paths else Path("pathways")
        if not new_dir.is_dir():
            raise NavigatorError(f"no pack folder '{new_dir}': give the pack folder to compare.")
        with tempfile.TemporaryDirectory(prefix="ms-navigator-impact-") as tmp:
            old = loader.load_pack_or_raise(impact_.export_ref(git_ref, new_dir, Path(tmp)))
        report = impact_.compare(old, loader.load_pack_or_raise(new_dir))
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    else:
        sys.stdout.write(report.render())
    return 0


def list_pathways(fmt: str) -> int:
    """Print every pathway with its protocol section, in section order."""
    pack = loader.load_pack_or_raise()
    rows = sorted(pack.pathways.values(), key=lambda p: [int(n) for n in p.section.split(".")])
    if fmt == "json":
        sys.stdout.write(json.dumps([{"id": p.id, "title": p.title, "section": p.section}
                                     for p in rows], indent=2) + "\n")
        return 0
    width = max(len(p.id) for p in rows)
    for p in rows:
        sys.stdout.write(f"{p.section:<7} {p.id:<{width}}  {p.title}\n")
    return 0


def show(item: str) -> int:
    """Print a pathway as a tree (or a step or service in full)."""
    from rich.text import Text

    from ms_navigator.render import terminal

    pack = loader.load_pack_or_raise()
    console = _console()
    if item in pack.pathways:
        pathway = pack.pathways[item]
        console.print(terminal.pathway_tree(pack, pathway))
        console.print(Text(f"Source: {pathway.source}. Review date: {pathway.review_date}.",
                           style="dim"))
        return 0
    if item in pack.steps:
        step = pack.steps[item]
        console.print(Text(f"Step {step.id} ({step.urgency.value})", style="bold"))
        console.print(step.text)
        for contact in step.contacts:
            console.print(Text(f"Contact: {pack.contacts[contact].describe()}", style="cyan"))
        console.print(Text(f"Source: {step.source}", style="dim"))
        return 0
    if item in pack.services:
        from ms_navigator import eligibility

        for part in terminal.offers([eligibility.direct_offer(pack, item)]):
            console.print(part)
        return 0
    raise UnknownPathway(f"nothing has the id '{item}'. Run 'ms-navigator list' for pathway ids.")


def diagram(item: str, fmt: str) -> int:
    """Print a pathway as a diagram in the chosen format."""
    from ms_navigator.render import diagram as diagrams

    pack = loader.load_pack_or_raise()
    if item not in pack.pathways:
        raise UnknownPathway(f"there is no pathway '{item}'. Run 'ms-navigator list' to see the ids.")
    sys.stdout.write(diagrams.RENDERERS[fmt](pack, pack.pathways[item]))
    return 0


def docs(write: Path | None, check: Path | None) -> int:
    """Write the generated pathway pages, or check that a folder holds them up to date."""
    from ms_navigator.render import pathway_page

    if (write is None) == (check is None):
        raise NavigatorError("give one of --write DIR or --check DIR.")
    pages = pathway_page.pages(loader.load_pack_or_raise())
    if write is not None:
        write.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (write / name).write_text(text, encoding="utf-8")
        sys.stderr.write(f"Wrote {len(pages)} pages to {write}.\n")
        return 0
    assert check is not None
    stale = pathway_page.stale(pages, check)
    for name in stale:
        sys.stdout.write(f"{check / name}: out of date\n")
    if stale:
        sys.stderr.write(f"Run: ms-navigator docs --write {check}\n")
    return 1 if stale else 0


def walk(name: str, pause: bool | None, plain: bool = False) -> int:
    """Replay a scenario question by question; pause for Enter between them on a terminal."""
    from ms_navigator import prompts, scenarios, walkthrough
    from ms_navigator.render import terminal

    scenario, _ = scenarios.find(name)
    walk_through = walkthrough.build(loader.load_pack_or_raise(), scenario)
    if pause is None:
        pause = sys.stdin.isatty() and sys.stdout.isatty()
    console = _console(plain=prompts.plain_wanted(plain))
    console.print(terminal.walk_intro(scenario))
    total = len(walk_through.frames)
    try:
        for frame in walk_through.frames:
            if pause and not prompts.wait_for_enter("Press Enter for the next question (q to stop) "):
                return 0
            console.print(terminal.walk_frame(frame, total))
        if pause and not prompts.wait_for_enter("Press Enter for the plan (q to stop) "):
            return 0
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the walk-through stopped.") from None
    console.print(terminal.walk_end(walk_through))
    return 0


QUIZ_NEEDS_TERMINAL = ("ms-navigator quiz asks the trainee at each decision and needs a terminal. "
                       "With --plain it reads choice numbers, one a line, which also works from a pipe.")
QUIZ_INPUT_ENDED = "the input ended before the quiz did: --plain reads one choice number a line."


def quiz(name: str | None, plain: bool) -> int:
    """Ask a trainee what the pathway does at each decision of a scenario; score at the end."""
    import random

    from ms_navigator import prompts, scenarios, walkthrough
    from ms_navigator import quiz as quizzes
    from ms_navigator.render import terminal

    if name is None:
        found, _ = scenarios.load([scenarios.shipped_dir()])
        name = random.choice(sorted(s.id for s, _ in found))
    scenario, _ = scenarios.find(name)
    items = quizzes.items(walkthrough.build(loader.load_pack_or_raise(), scenario))
    plain = prompts.plain_wanted(plain)
    if not plain:
        prompts.require_terminal(QUIZ_NEEDS_TERMINAL)
    asker = prompts.PlainAsker(ended=QUIZ_INPUT_ENDED) if plain else prompts.QuestionaryAsker()
    console = _console(plain=plain)
    console.print(terminal.walk_intro(scenario, "Quiz"))
    marked: list[tuple[quizzes.Item, int]] = []
    try:
        for number, item in enumerate(items, 1):
            console.print(terminal.quiz_item(item, number, len(items)))
            picked = int(asker.ask(item.as_question(), can_go_back=False))
            console.print(terminal.quiz_feedback(item, picked))
            marked.append((item, picked))
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the quiz stopped.") from None
    console.print(terminal.quiz_score(quizzes.score(marked)))
    return 0
