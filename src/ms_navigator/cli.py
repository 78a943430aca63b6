"""The `ms-navigator` command line: thin wrappers that parse options and call the library.

Heavy imports (pydantic, yaml, rich, questionary) happen inside the commands, so that
`--help` and `--version` start quickly (docs/performance.md has the figures). No
`from __future__ import annotations` here: typer would then compile every annotation string of
every command on each run, `--help` included; the annotations below are valid at run time.
"""

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NoReturn, Optional, ParamSpec

import typer
import typer.core
import typer.main

from ms_navigator import __version__

VERSION_TEXT = f"ms-navigator {__version__}"


class _Deferred:
    """Typer's conversion of one option's value, made only for a value that needs it.

    Typer (0.29) builds a pydantic TypeAdapter for every option of the command that runs,
    given or not; the first one costs more than the rest of `start` before its first question
    does, as it imports pydantic's plugin loader (importlib.metadata, email, zipfile). An option
    not given (None) is None, as typer's own conversion makes it, and text given for a text
    option is that text (typer's adapter returns `str(value)`); anything else goes through
    typer's conversion, built then, so every message and check stays typer's.
    """

    def __init__(self) -> None:
        self._built: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if (param.multiple or param.nargs == -1) else None
        if type(value) is str and param.type_descriptor.annotation is str:
            return value
        if self._built is None:
            from typer._coercion import build_runtime_param

            self._built = build_runtime_param(param.type_descriptor)
        return self._built.coerce(value, param=param, ctx=ctx)


def _defer_conversions(params: list[Any]) -> list[Any]:
    """Give each typer parameter a `_Deferred` conversion (where typer keeps its own, lazily
    built: if a later typer keeps it elsewhere, nothing changes and typer converts as before);
    return the parameters."""
    for param in params:
        if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
            param._runtime_param = _Deferred()
    return params


class _Group(typer.core.TyperGroup):
    """The top-level command: its options (--help, --version, completion) converted only when
    given, as a command's are (`_Deferred`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _defer_conversions(super().get_params(ctx))


class _Command(typer.core.TyperCommand):
    """A typer command whose help names an argument by its metavar alone: typer would add the
    Python type after it (`[FILE]... <list[Path]>`), which means nothing to a user; and whose
    options are converted only when given (`_Deferred`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _defer_conversions(super().get_params(ctx))

    def format_options(self, ctx: Any, formatter: Any) -> None:  # click's, vendored by typer
        for param in self.get_params(ctx):
            if isinstance(param, typer.core.TyperArgument) and param.metavar:
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        super().format_options(ctx, formatter)


app = typer.Typer(
    cls=_Group,
    name="ms-navigator",
    help="Decision support for professionals who meet possible victims of modern slavery "
    "(Coventry Protocol for Addressing Adult Modern Slavery).",
    add_completion=True,  # --install-completion and --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # answers about a survivor must never be dumped
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},  # -h, as every peer tool has
)


def _command(name: Optional[str] = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return app.command(name, cls=_Command)


class PlanFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class SimpleFormat(str, enum.Enum):
    text = "text"
    json = "json"


class LintFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


PLAIN_HELP = ("Numbered choices typed as numbers, no colour: for screen readers and projectors "
              "(automatic when TERM=dumb; NO_COLOR is always honoured).")


OUTPUT_HELP = ("Write a case summary to FILE.md, FILE.json or FILE.txt (owner-only; a regular file only; "
               "- for standard output).")
FORCE_HELP = "Replace the --output file if it already exists."
COMPACT_HELP = "Show the plan in one screen: each step in one line, then what to do first."
PAGER_HELP = "Show the whole plan in a pager ($PAGER, else less), then what to do first."


def _view(compact: bool, pager: bool) -> str:
    if compact and pager:
        raise typer.BadParameter("choose one of --compact and --pager.")
    return "compact" if compact else "pager" if pager else "full"


def _version(value: bool) -> None:
    if value:
        typer.echo(VERSION_TEXT)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Decision support for the Coventry Protocol for Addressing Adult Modern Slavery."""


@_command()
def start(
    pathway: Optional[str] = typer.Option(None, "--pathway", metavar="ID",
                                          help="Pathway id to start at (see 'list')."),
    answers: Optional[str] = typer.Option(None, "--answers", metavar="FILE|-",
                                          help="Answer from a YAML/JSON file (or - for stdin) instead of asking."),
    fmt: Optional[PlanFormat] = typer.Option(None, "--format", help="Output format [default: text]."),
    output: Optional[Path] = typer.Option(None, "--output", metavar="FILE",
                                          help=OUTPUT_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    no_save: bool = typer.Option(False, "--no-save", help="Keep nothing on disk while asking (no resume)."),
    explain: bool = typer.Option(False, "--explain",
                                 help="Show why each question is asked, its source, and why each step is in the plan."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP),
    compact: bool = typer.Option(False, "--compact", help=COMPACT_HELP),
    pager: bool = typer.Option(False, "--pager", help=PAGER_HELP),
) -> None:
    """Answer a few questions and get a plan: steps, contacts and services."""
    from ms_navigator.commands import visits

    raise typer.Exit(_run(visits.start, pathway=pathway, answers=answers,
                          fmt=fmt.value if fmt else None, output=output, save=not no_save,
                          explain=explain, plain=plain, force=force, view=_view(compact, pager)))


@_command()
def resume(
    ident: Optional[str] = typer.Argument(None, metavar="ID", help="A saved visit [default: the latest]."),
    fmt: Optional[PlanFormat] = typer.Option(None, "--format",
                                             help="Output format [default: the visit's, else text]."),
    output: Optional[Path] = typer.Option(None, "--output", metavar="FILE",
                                          help=OUTPUT_HELP + " [default: the visit's own --output]"),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP + " [default: as the visit began]"),
    explain: bool = typer.Option(False, "--explain",
                                 help="Show why each question is asked [default: as the visit began]."),
    compact: bool = typer.Option(False, "--compact", help=COMPACT_HELP),
    pager: bool = typer.Option(False, "--pager", help=PAGER_HELP),
) -> None:
    """Continue a visit that was interrupted, where it stopped, with the options it began with."""
    from ms_navigator.commands import visits

    raise typer.Exit(_run(visits.resume, ident=ident, fmt=fmt.value if fmt else None,
                          output=output, force=force, plain=plain, explain=explain,
                          view=_view(compact, pager)))


@_command()
def sessions(
    delete: Optional[str] = typer.Option(None, "--delete", metavar="ID", help="Delete one saved visit."),
    delete_all: bool = typer.Option(False, "--delete-all", help="Delete every saved visit."),
    fmt: SimpleFormat = typer.Option(SimpleFormat.text, "--format"),
) -> None:
    """List saved (unfinished) visits, or delete them."""
    from ms_navigator.commands import visits

    raise typer.Exit(_run(visits.sessions, delete=delete, delete_all=delete_all, fmt=fmt.value))


@_command()
def services(
    nrm_status: str = typer.Option(..., "--nrm-status", metavar="STATUS",
                                   help="Where the person is in the NRM: not_referred, awaiting_rg, "
                                   "positive_rg, negative_rg, positive_cg, negative_cg or unknown."),
    gender: Optional[str] = typer.Option(None, "--gender", metavar="GENDER", help="female, male or other."),
    fmt: SimpleFormat = typer.Option(SimpleFormat.text, "--format"),
) -> None:
    """List the specialist services open to a person (protocol 4.3)."""
    from ms_navigator.commands import browse

    raise typer.Exit(_run(browse.services, nrm_status=nrm_status, gender=gender, fmt=fmt.value))


MAX_STATES_HELP = ("The most states the checks of every path may meet at one question "
                   "[default: MS_NAVIGATOR_MAX_STATES, else 1,000].")


@_command()
def lint(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="PATH", help="Pack folders, or files inside a pack (the whole pack is checked), or - for "
        "stdin with --stdin-filename [default: the shipped pathways]."),
    fmt: LintFormat = typer.Option(LintFormat.text, "--format"),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    fail_severity: Optional[Literal["error", "warning", "info"]] = typer.Option(
        None, "--fail-severity", help="The lowest level that fails the run [default: error; "
        "warning with --strict; or the configuration's fail-severity]."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Write the report to FILE instead of stdout."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary on stderr."),
    config: Optional[Path] = typer.Option(
        None, "--config", metavar="FILE",
        help="Configuration file [default: the nearest .ms-navigator.yaml upwards]."),
    stdin_filename: Optional[Path] = typer.Option(
        None, "--stdin-filename", metavar="PATH", help="With -: the pack file stdin stands for."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List every rule and exit."),
    today: Optional[str] = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="Check review dates and contacts as of this date [default: MS_NAVIGATOR_TODAY, "
        "else today]."),
    max_states: Optional[str] = typer.Option(None, "--max-states", metavar="N", help=MAX_STATES_HELP),
) -> None:
    """Check pathway files; one problem a line as FILE:LINE:COL: SEVERITY RULE-ID message."""
    from ms_navigator.commands import checks

    raise typer.Exit(_run(checks.lint, paths=paths or [], fmt=fmt.value, strict=strict,
                          list_rules=list_rules, today=today, max_states=max_states,
                          config=config, fail_severity=fail_severity,
                          output=output, quiet=quiet, stdin_filename=stdin_filename))


@_command("test")
def test_(
    files: Optional[list[Path]] = typer.Argument(
        None, metavar="FILE", help="Scenario files or folders [default: the shipped scenarios]."),
    pack: Optional[Path] = typer.Option(
        None, "--pack", metavar="DIR", help="Pack folder to run them against [default: the pack they sit in]."),
    fmt: Literal["text", "json", "junit", "github"] = typer.Option("text", "--format",
                                   help="junit: JUnit XML for CI test views; github: annotations."),
) -> None:
    """Run worked scenarios (given answers, expected steps and services); exit 1 on a failure.

    A pathway or directory file (or a pack folder) runs every scenario of its pack."""
    from ms_navigator.commands import checks

    raise typer.Exit(_run(checks.test, files=files or [], pack_dir=pack, fmt=fmt))


@_command()
def impact(
    paths: Optional[list[Path]] = typer.Argument(None, metavar="[OLD_DIR] NEW_DIR",
                                                 help="Two pack folders: before and after."),
    git_ref: Optional[str] = typer.Option(None, "--git-ref", metavar="REF",
                                          help="Compare NEW_DIR [default: pathways] with itself at a git ref."),
    fmt: PlanFormat = typer.Option(PlanFormat.text, "--format",
                                     help="markdown: for a GitHub step summary or a pull request comment."),
    fail_on: Optional[Literal["safety", "any"]] = typer.Option(
        None, "--fail-on", help="Exit 1 when an outcome gains or loses a step the contract fixes "
        "(safety: call_999, refer_nrm, notify_dtn, safeguarding_children, confirm_nrm_status, "
        "safeguarding_adults), or on any change (any)."),
    max_states: Optional[str] = typer.Option(None, "--max-states", metavar="N", help=MAX_STATES_HELP),
) -> None:
    """Show which answer combinations get different steps or services after a change."""
    from ms_navigator.commands import checks

    raise typer.Exit(_run(checks.impact, paths=paths or [], git_ref=git_ref, fmt=fmt.value,
                          max_states=max_states, fail_on=fail_on))


class SchemaKind(str, enum.Enum):
    pathway = "pathway"
    facts = "facts"
    contacts = "contacts"
    services = "services"
    steps = "steps"
    eligibility = "eligibility"
    scenario = "scenario"
    invariants = "invariants"
    policy = "policy"


@_command()
def schema(
    kind: SchemaKind = typer.Argument(SchemaKind.pathway, metavar="KIND", help="Which kind of file."),
    write: Optional[Path] = typer.Option(None, "--write", metavar="DIR",
                                         help="Write every schema as DIR/<kind>.schema.json."),
) -> None:
    """Print the JSON Schema of a kind of pathway file (for editors and CI)."""
    from ms_navigator.commands import checks

    raise typer.Exit(_run(checks.schema, kind=kind.value, write=write))


@_command("list")
def list_(fmt: SimpleFormat = typer.Option(SimpleFormat.text, "--format")) -> None:
    """List the pathways with the protocol section each implements."""
    from ms_navigator.commands import browse

    raise typer.Exit(_run(browse.list_pathways, fmt=fmt.value))


@_command()
def show(item: str = typer.Argument(..., metavar="ID", help="A pathway id (or a step or service id).")) -> None:
    """Show a pathway as a tree, or a step or service in full."""
    from ms_navigator.commands import browse

    raise typer.Exit(_run(browse.show, item=item))


class DiagramFormat(str, enum.Enum):
    mermaid = "mermaid"
    dot = "dot"


@_command()
def diagram(
    item: str = typer.Argument(..., metavar="ID", help="A pathway id (see 'list')."),
    fmt: DiagramFormat = typer.Option(DiagramFormat.mermaid, "--format"),
) -> None:
    """Draw a pathway as a Mermaid or Graphviz (DOT) diagram."""
    from ms_navigator.commands import training

    raise typer.Exit(_run(training.diagram, item=item, fmt=fmt.value))


@_command()
def docs(
    write: Optional[Path] = typer.Option(None, "--write", metavar="DIR",
                                         help="Write one page per pathway into this folder."),
    check: Optional[Path] = typer.Option(None, "--check", metavar="DIR",
                                         help="Exit 1 if the pages in this folder are out of date."),
) -> None:
    """Generate the pathway pages (docs/pathways): summary, diagram and sources."""
    from ms_navigator.commands import browse

    raise typer.Exit(_run(browse.docs, write=write, check=check))


@_command()
def walk(
    scenario: str = typer.Argument(..., metavar="SCENARIO",
                                   help="A scenario id (from pathways/scenarios) or a scenario file."),
    pause: Optional[bool] = typer.Option(None, "--pause/--no-pause",
                                         help="Wait for Enter between questions [default: on a terminal]."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP),
) -> None:
    """Replay a scenario one question at a time, showing where every other answer would lead."""
    from ms_navigator.commands import training

    raise typer.Exit(_run(training.walk, name=scenario, pause=pause, plain=plain))


@_command()
def quiz(
    scenario: Optional[str] = typer.Argument(
        None, metavar="SCENARIO",
        help="A scenario id or file [default: the first of 'ms-navigator scenarios']."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP),
    hide_answer: bool = typer.Option(False, "--hide-answer",
                                     help="After each pick, wait for the trainer to reveal the answer."),
    start_at: int = typer.Option(1, "--from", metavar="N", min=1,
                                 help="Start at decision N (to carry on after a pause)."),
) -> None:
    """Level 2 quiz: at each decision in a scenario, choose what the pathway has you do."""
    from ms_navigator.commands import training

    raise typer.Exit(_run(training.quiz, name=scenario, plain=plain, hide_answer=hide_answer,
                          start_at=start_at))


@_command("scenarios")
def scenarios_(fmt: SimpleFormat = typer.Option(SimpleFormat.text, "--format")) -> None:
    """List the worked scenarios (for walk, quiz and the site), in a fixed order."""
    from ms_navigator.commands import training

    raise typer.Exit(_run(training.scenarios, fmt=fmt.value))


@_command()
def site(
    folder: Path = typer.Argument(..., metavar="DIR", help="A new or empty folder (or a site made before)."),
    force: bool = typer.Option(False, "--force", help="Write into a folder that holds other files."),
) -> None:
    """Write a static website of the pathways and scenarios, for projectors and handouts."""
    from ms_navigator.commands import site as site_command

    raise typer.Exit(_run(site_command.site, folder=folder, force=force))


_P = ParamSpec("_P")

CRASH_CODE = 70
"""Exit code of an unexpected error (a bug): never 1, which means "lint found errors"
(70 is EX_SOFTWARE of sysexits.h). docs/ci.md and docs/officers.md list it."""
BROKEN_PIPE_CODE = 141
"""Exit code when the reader of the output went away (`| head`): 128 + SIGPIPE, as a shell
reports a program the pipe ended."""


def _run(command: Callable[_P, int], *args: _P.args, **kwargs: _P.kwargs) -> int:
    """Call a command of the library; every error becomes a short message and an exit code.

    Expected errors keep their own code (2, 130). A file or stream error (a path too long, a
    read-only folder, a full disk) is exit 2. Anything else is a bug: a short message that
    shows no data (no traceback, no answers) and exit CRASH_CODE.
    """
    from ms_navigator.commands import report_error
    from ms_navigator.errors import Interrupted, NavigatorError

    try:
        return command(*args, **kwargs)
    except NavigatorError as err:
        return report_error(err)
    except KeyboardInterrupt:
        return report_error(Interrupted("interrupted; stopped before it finished."))
    except BrokenPipeError:
        _quiet_exit(BROKEN_PIPE_CODE)
    except SystemExit:  # commands return codes; only rich exits, on a broken pipe
        _quiet_exit(BROKEN_PIPE_CODE)
    except OSError as err:
        from ms_navigator.safeio import escape

        where = f" ({escape(str(err.filename))[:300]})" if err.filename else ""
        sys.stderr.write(f"Error: {err.strerror or type(err).__name__}{where}.\n")
        return 2
    except Exception as err:  # noqa: BLE001 - the one place a bug is turned into a message
        sys.stderr.write(f"ms-navigator stopped on an internal error ({type(err).__name__}). "
                         "This is a bug; nothing was changed after it. Please report it with "
                         f"the command that was run (exit code {CRASH_CODE}).\n")
        return CRASH_CODE


def _safe_streams() -> None:
    """Make the standard streams safe to write to, whatever they are.

    A closed stdout or stderr (`>&-`) becomes the null device, so that a command still runs
    and exits with its own code; text that the stream's encoding cannot hold (a cp1252 console)
    is replaced rather than ending the command.
    """
    import contextlib
    import os

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def _quiet_exit(code: int) -> NoReturn:
    """Leave without writing anything more to stdout (its reader is gone, or it is full)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(code)  # the interpreter's own flush at exit would fail again


def _only(command: Optional[str]) -> list[Any]:
    """Return the app's commands with every one but `command` reduced to its name and help.

    Typer reads every command's signature and builds its options before it runs one; a top-level
    `--help`, a usage error and the command that runs need only the others' names and first help
    lines, which a stand-in without options gives the same (tests/test_startup.py compares the
    help). Shell completion needs every option, so it gets the real commands.
    """
    import copy
    import os

    if any(name.endswith("_COMPLETE") for name in os.environ):
        return app.registered_commands
    commands = []
    for info in app.registered_commands:
        callback = info.callback
        if callback is None or (info.name or typer.main.get_command_name(callback.__name__)) == command:
            commands.append(info)
            continue

        def stand_in() -> None:
            raise AssertionError("a stand-in command never runs")  # pragma: no cover

        stand_in.__name__, stand_in.__doc__ = callback.__name__, callback.__doc__
        light = copy.copy(info)
        light.callback = stand_in
        commands.append(light)
    return commands


def _command_named(args: list[str]) -> Optional[str]:
    """Return the first word of the arguments that is not an option: the command to run."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def main() -> None:
    """Run the CLI. Typer (0.29+) maps usage errors to exit 2 and Ctrl-C to exit 130.

    A lone `--version` is answered before typer builds the commands (it would inspect every
    command's signature first): the same output as the eager option, for a third of the cost.
    A broken pipe ends quietly with BROKEN_PIPE_CODE; a stdout that cannot be written (a full
    disk) with a message and exit 2.
    """
    sys.exit(_main())


def program() -> NoReturn:
    """Run the CLI as a program (the `ms-navigator` script, `python -m ms_navigator`), and
    leave at once when it is done, without freeing every object one by one first.

    The interpreter's clean-up at exit frees each object left: 1.1 s of it after linting a
    pack of 100,000 nodes, with the report already out. Nothing is left for it to do (files
    are written and closed by their `with` blocks, and `_main` flushed stdout), so the
    program leaves as mypy does. Code that calls `main` keeps its interpreter and its usual
    exit.

    The process being ms-navigator's own, the cyclic collector waits until the pack is
    loaded, and what loading and searching it leave alive is frozen out of its reach
    (`collector.own_process`)."""
    import contextlib
    import os

    from ms_navigator import collector

    collector.own_process()
    code = _main()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _main() -> int:
    """Run the CLI with its output flushed, and return its exit code (see `main`)."""
    _safe_streams()
    code = 0
    try:
        if sys.argv[1:] in (["--version"], ["-V"]):
            sys.stdout.write(VERSION_TEXT + "\n")
        else:
            full, app.registered_commands = app.registered_commands, _only(_command_named(sys.argv[1:]))
            hook = sys.excepthook
            try:
                app(standalone_mode=True)
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
                if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # click met a broken pipe
                    _quiet_exit(BROKEN_PIPE_CODE)
            finally:
                app.registered_commands = full
                # Typer installs its exception hook on every run; with its pretty exceptions
                # off it only hands over to the hook before it. Left in place, it made the
                # interpreter's clean-up at exit about 6 ms longer (every command).
                sys.excepthook = hook
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_exit(BROKEN_PIPE_CODE)
    except OSError as err:
        try:
            sys.stderr.write(f"Error: cannot write the output ({err.strerror or err}).\n")
            sys.stderr.flush()
        except OSError:
            pass
        _quiet_exit(2)
    return code
