"""Start-up stays light: `--version` and `--help` import the CLI framework and nothing heavy.

No timings here (they live in benchmarks/): these check which modules a fresh process loads,
which is what keeps start-up near the `import typer` floor.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ms_navigator import engine, loader, model, plans
from ms_navigator.render import output, terminal
from tests.helpers import some_widths

HEAVY = ("pydantic", "yaml", "rich", "questionary", "prompt_toolkit", "ms_navigator.model")

PROBE = """
import io, json, sys, contextlib
sys.argv = ["ms-navigator", *{args!r}]
from ms_navigator.cli import app, main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        {call}
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r} or m in {heavy!r})
sys.__stdout__.write(json.dumps({{"code": code, "out": out.getvalue(), "heavy": heavy}}))
"""


def _probe(*args: str, call: str = "main()") -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args), heavy=HEAVY, call=call)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["lint", "--help"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    found = _probe(*args)
    assert found["code"] in (0, None)
    allowed = {"pydantic"} if args[0] == "lint" else set()  # typer 0.29 converts options with it
    assert {m.split(".")[0] for m in found["heavy"]} <= allowed, found["heavy"]


def test_the_fast_version_says_what_the_option_says(cli) -> None:
    assert _probe("--version")["out"] == cli("--version").stdout
    assert _probe("--version", "--help")["out"] == cli("--version", "--help").stdout


def test_help_with_stand_ins_is_the_full_help() -> None:
    """`main` gives typer stand-ins for the commands that do not run: the help is the same as
    the app's with every command built, and so is a mistyped command's message."""
    full = "app(prog_name='ms-navigator')"
    for args in (["--help"], ["-h"], ["start", "--help"], ["lint", "-h"], ["strat"]):
        assert _probe(*args)["out"] == _probe(*args, call=full)["out"], args


VISIT_PROBE = """
import json, os, sys
from ms_navigator import interactive

def stop(*args, **kwargs):
    sys.__stdout__.write(json.dumps(sorted(sys.modules)))
    sys.__stdout__.flush()
    os._exit(0)

interactive.run = stop  # where the first question would be asked
sys.argv = ["ms-navigator", *{args!r}]
from ms_navigator.cli import main
main()
"""

NOT_BEFORE_THE_FIRST_QUESTION = (
    "ms_navigator.because", "ms_navigator.plans", "ms_navigator.graph", "ms_navigator.nodes",
    "ms_navigator.problems", "ms_navigator.yamlread", "ms_navigator.integrity",
    "rich.table", "pydantic.plugin._loader", "importlib.metadata", "importlib.resources")
"""Modules `start` once imported or made import before its first question, which it does not
need (docs/performance.md, "Start-up, 3 December 2026, night"): the reasons of a plan, pathway
graphs, the full load and its problems (the shipped pack is built from its data), rich's
tables, and pydantic's plugin loader (typer's conversion of options not given)."""


LIBRARIES = ("import json, typer, yaml, questionary, rich.console, rich.markup, rich.panel, rich.text; "
             "import sys; sys.stdout.write(json.dumps(sorted(sys.modules)))")
"""What start's libraries import of themselves: a module of the list above that one of them
imports (rich.table, in some releases rich allows) is theirs to load, not ours."""


def _not_ours(unwanted: set[str]) -> set[str]:
    """Return the unwanted modules that no library `start` uses imports on its own."""
    done = subprocess.run([sys.executable, "-c", LIBRARIES], capture_output=True, text=True, check=True)
    return unwanted - set(json.loads(done.stdout))


def _visit_modules(*args: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-c", VISIT_PROBE.format(args=list(args))],
                          capture_output=True, text=True, check=True, env=env)
    return set(json.loads(done.stdout))


def _top_level_third_party(modules: set[str]) -> set[str]:
    """Return the distributions' top-level packages among module names (not the standard
    library's, not ms-navigator's)."""
    import importlib.util

    found = set()
    for name in {m.split(".")[0] for m in modules} - {"ms_navigator"}:
        try:
            spec = importlib.util.find_spec(name) if name not in sys.builtin_module_names else None
        except (ImportError, ValueError):  # a module a compiled one adds, with no spec
            continue
        origin = (spec.origin or "") if spec is not None else ""
        if "site-packages" in origin or "dist-packages" in origin:
            found.add(name)
    return found


def test_the_benchmark_floor_imports_every_distribution_start_needs(tmp_path: Path) -> None:
    """`start`'s first question is timed against importing its dependencies
    (`benchmarks/run.py` DEPENDENCIES): every distribution `start` has imported by then (as a
    user runs it: its data folder found by platformdirs; questionary, which draws the
    question) must be in it, or the ratio counts a dependency's import as ms-navigator's."""
    import ast

    tree = ast.parse((Path(__file__).parents[1] / "benchmarks" / "run.py").read_text(encoding="utf-8"))
    floor = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", "") == "DEPENDENCIES" for t in node.targets))
    done = subprocess.run([sys.executable, "-c", f"{floor}; import json, sys; "
                           "sys.stdout.write(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True)
    user = {k: v for k, v in os.environ.items() if k != "MS_NAVIGATOR_DATA_DIR"}
    user.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    started = _top_level_third_party(_visit_modules("start", "--plain", env=user))
    started |= {"questionary", "prompt_toolkit"}  # imported as the question is drawn
    assert {"pydantic", "platformdirs", "typer"} <= started
    assert started <= _top_level_third_party(set(json.loads(done.stdout)))


def test_start_imports_only_what_the_first_question_needs() -> None:
    loaded = _visit_modules("start", "--plain", "--no-save")
    assert "ms_navigator.engine" in loaded  # the probe did stop at the first question
    unwanted = _not_ours(set(NOT_BEFORE_THE_FIRST_QUESTION))
    assert "ms_navigator.because" in unwanted  # no library of ours loads our own modules
    assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)


ANSWERS_PROBE = """
import contextlib, io, json, sys
sys.argv = ["ms-navigator", "start", "--answers", {path!r}]
from ms_navigator.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main()
    except SystemExit as exit:
        code = exit.code
sys.__stdout__.write(json.dumps({{"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}}))
"""

ADULT = ("immediate_danger: 'no'\nunder_18: 'no'\norganisation: general\n"
         "care_support_needs: unsure\nnrm_status: unknown\nhas_capacity: 'yes'\n"
         "consent_nrm: 'no'\nfirst_responder: 'yes'\ncriminal_exploitation: 'no'\nsexual_exploitation: 'yes'\ngender: female\nhousing_situation: housed\n")


NOT_FOR_ANSWERS = {"ms_navigator.store", "ms_navigator.visit", "ms_navigator.interactive"}
"""What `start --answers` does not use: it saves no visit and asks nothing (the store is
imported when a visit is saved)."""


def test_start_answers_imports_no_reasons_no_graph_and_no_table(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(ADULT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", ANSWERS_PROBE.format(path=str(answers))],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found["code"] == 0 and "Duty to Notify" in found["out"]
    loaded = set(found["modules"])
    # it runs the answers, read with the YAML reader as every file is (its problems are made
    # only for a file it cannot read)
    unwanted = _not_ours(set(NOT_BEFORE_THE_FIRST_QUESTION) - {
        "ms_navigator.plans", "ms_navigator.yamlread"} | NOT_FOR_ANSWERS)
    assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)


def _scenario_plans(pack: model.Pack, reasons: bool = True) -> list[engine.Plan]:
    from ms_navigator import scenarios

    found, problems = scenarios.load([scenarios.shipped_dir()])
    assert found and not problems
    return [plans.run_scripted(pack, s.start, s.given, reasons) for s, _ in found]


def test_the_text_plan_is_the_same_without_the_reasons_it_does_not_show(pack) -> None:
    """`start --answers` leaves out the `because` trail for the text plan without --explain."""
    for full, bare in zip(_scenario_plans(pack), _scenario_plans(pack, reasons=False), strict=True):
        assert all(s.because is None for s in bare.steps)
        assert output.plan_text(bare, "text") == output.plan_text(full, "text")


def _grid(rows: list[tuple[str, Any]]) -> Any:
    """The list as rich's table grid drew it before `terminal.Numbered` (the reference)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for mark, body in rows:
        grid.add_row(mark, body)
    return grid


def test_numbered_lists_draw_what_the_table_grid_drew(pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list of the plan, the compact plan, what to do now and first, and the answers, at
    widths from a phone's to a wide terminal's: the same lines as rich's grid (line ends
    aside: the grid pads them with spaces)."""
    from rich.console import Console

    def drawn(renderable: Any, width: int) -> list[str]:
        buffer = io.StringIO()
        Console(file=buffer, width=width, no_color=True, highlight=False).print(renderable)
        return [line.rstrip() for line in buffer.getvalue().splitlines()]

    makers = [lambda p: terminal.plan(p), lambda p: terminal.plan(p, explain=True),
              terminal.compact, terminal.do_first, lambda p: terminal.now_steps(p.steps[:3]),
              lambda p: terminal.answers(p.transcript)]
    for index, plan in enumerate(_scenario_plans(pack)):
        for number, make in enumerate(makers):
            for width in some_widths((14, 40, 61, 100), index + number, per=1):
                ours = drawn(make(plan), width)
                with monkeypatch.context() as patch:
                    patch.setattr(terminal, "_numbered", _grid)
                    assert ours == drawn(make(plan), width), (width, make)


HOOK_PROBE = """
import contextlib, io, sys
before = sys.excepthook
sys.argv = ["ms-navigator", *{args!r}]
from ms_navigator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
sys.__stdout__.write(str(sys.excepthook is before))
"""


@pytest.mark.parametrize("args", [["start", "--answers", "-"], ["--help"], ["lint", "--bogus"]])
def test_typer_exception_hook_is_taken_back(args: list[str]) -> None:
    """Typer installs its exception hook on every run (with pretty exceptions off it only
    hands over to the one before); main puts the one before back, since left in place it
    made every command's exit about 6 ms longer (docs/performance.md)."""
    done = subprocess.run([sys.executable, "-c", HOOK_PROBE.format(args=args)], input="under_18: 'no'\n",
                          capture_output=True, text=True, check=True)
    assert done.stdout == "True"


def test_an_error_escaping_main_is_reported_by_pythons_own_hook(tmp_path: Path) -> None:
    """What typer's hook did with pretty exceptions off: Python's own traceback."""
    probe = ("import sys; sys.argv = ['ms-navigator', 'list']\n"
             "from ms_navigator import cli\n"
             "def broken(*args, **kwargs): raise LookupError('escaped')\n"
             "cli._run = broken\n"
             "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.rstrip().endswith("LookupError: escaped")


def test_the_program_leaves_at_once_with_its_output_whole_and_its_exit_code(tmp_path: Path) -> None:
    """`program` skips the interpreter's clean-up at exit: what a command wrote to a pipe and
    to a file must still be there in full, and its exit code kept (0, lint's 1, usage's 2)."""
    run = [sys.executable, "-m", "ms_navigator"]
    broken = tmp_path / "pack"
    shutil.copytree(loader.shipped_pack_dir(), broken)
    for pathway in sorted(broken.glob("*.yaml"))[:3]:
        pathway.write_text(pathway.read_text(encoding="utf-8") + "\nstray: [\n", encoding="utf-8")
    lint = subprocess.run([*run, "lint", str(broken), "--format", "json"], capture_output=True,
                          text=True, check=False)
    assert lint.returncode == 1 and len(json.loads(lint.stdout)) >= 3  # the whole document
    target = tmp_path / "plan.md"
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    done = subprocess.run([*run, "start", "--answers", str(answers), "--output", str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    usual = tmp_path / "usual.md"  # the same command, leaving the usual way
    subprocess.run([sys.executable, "-c", "import sys; from ms_navigator.cli import main; "
                    "sys.argv[0] = 'ms-navigator'; main()", "start", "--answers", str(answers),
                    "--output", str(usual)], capture_output=True, check=True)

    def written(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines()
                if not line.startswith("- Made:")]

    assert len(written(target)) > 20 and written(target) == written(usual)
    assert subprocess.run([*run, "lint", "--no-such-option"], capture_output=True,
                          check=False).returncode == 2


_FROZEN = ("import gc, os, sys; from ms_navigator import cli; leave = os._exit; "
           "os._exit = lambda code: (print(gc.isenabled(), gc.get_freeze_count(), flush=True), "
           "leave(code)); "
           "sys.argv = ['ms-navigator', 'list']; cli.program()")
"""Run `list` (which loads the pack) as the console script does, and print how many objects
the collector holds frozen as the program leaves."""


def test_the_program_freezes_what_loading_leaves_and_a_library_caller_keeps_its_collector() -> None:
    """In its own process, what loading the pack leaves alive is frozen out of the collector's
    reach (later collections walked it all again: 35 ms before the first question) and the
    collector runs again; code that uses ms-navigator as a library loads the same pack with
    its collector left as it was."""
    frozen = subprocess.run([sys.executable, "-c", _FROZEN], capture_output=True, text=True,
                            check=True)
    enabled, count = frozen.stdout.split()[-2:]
    assert enabled == "True" and int(count) > 10_000, frozen.stdout
    library = subprocess.run([sys.executable, "-c", "import gc; from ms_navigator import loader; "
                              "gc.disable(); loader.load_pack_or_raise(); off = gc.isenabled(); "
                              "gc.enable(); loader.load_pack_or_raise(); "
                              "print(off, gc.isenabled(), gc.get_freeze_count())"],
                             capture_output=True, text=True, check=True)
    assert library.stdout.split() == ["False", "True", "0"]


ANSWERS = ("immediate_danger: 'no'\nunder_18: 'no'\norganisation: general\n"
           "care_support_needs: unsure\nnrm_status: unknown\nhas_capacity: 'yes'\n"
           "consent_nrm: 'no'\nfirst_responder: 'yes'\ncriminal_exploitation: 'no'\n"
           "sexual_exploitation: 'yes'\ngender: female\nhousing_situation: housed\n")
"""A full plan (the benchmark's answers): an adult with capacity who does not consent."""


def test_menus_share_one_set_of_default_key_bindings_and_still_answer_by_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """prompt_toolkit's default bindings are built once for every application (three a menu):
    the menus share them, and a menu still answers to its keys. prompt_toolkit is put back as
    it was afterwards, so that no other test depends on this one having run."""
    import questionary
    from prompt_toolkit.application import application, create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.key_binding import defaults
    from prompt_toolkit.output import DummyOutput

    from ms_navigator import prompts

    monkeypatch.setattr(application, "load_key_bindings", defaults.load_key_bindings)
    made = []
    real = questionary.select

    def kept(*args: object, **kwargs: object) -> object:
        made.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(questionary, "select", kept)
    with create_pipe_input() as typed, create_app_session(input=typed, output=DummyOutput()):
        typed.send_text("2\r")
        first = prompts.choose("Which?", [("a", "A"), ("b", "B"), ("c", "C")])
        typed.send_text("\x1b[B\x1b[B\r")  # down twice, then Enter
        second = prompts.choose("Which?", [("a", "A"), ("b", "B"), ("c", "C")])
    assert (first, second) == ("b", "c")
    assert made[0].application._default_bindings is made[1].application._default_bindings


def _bound(bindings: object) -> list[tuple[object, ...]]:
    """Return each binding as its keys and handler's code, in order (what it does)."""
    return [(b.keys, getattr(b.handler, "__code__", b.handler))
            for b in bindings.bindings]  # type: ignore[attr-defined]


def test_the_shared_bindings_are_prompt_toolkits_defaults_less_vis() -> None:
    """Against the prompt_toolkit installed: its defaults, less the bindings of Vi mode (in
    which no prompt here edits), in the same order."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding.bindings.cpr import load_cpr_bindings
    from prompt_toolkit.key_binding.bindings.mouse import load_mouse_bindings
    from prompt_toolkit.key_binding.bindings.vi import load_vi_bindings, load_vi_search_bindings
    from prompt_toolkit.key_binding.defaults import load_key_bindings

    from ms_navigator import prompts

    vi = _bound(load_vi_bindings()) + _bound(load_vi_search_bindings())
    ours = _bound(prompts.emacs_defaults())
    editing = len(ours) - len(_bound(load_mouse_bindings()) + _bound(load_cpr_bindings()))
    assert editing > 100 and len(vi) > 100
    assert _bound(load_key_bindings()) == ours[:editing] + vi + ours[editing:]
    assert Application().editing_mode.value == "EMACS"
