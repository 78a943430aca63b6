"""Run every ms-navigator benchmark and print a table of medians, ratios and targets.

    python benchmarks/run.py            # the report; exit 0 whatever the figures
    python benchmarks/run.py --check    # exit 1 if any target is missed
    python benchmarks/run.py --quick    # fewer repeats and no 10,000-node peers (a smoke run)
    python benchmarks/run.py --no-suite # without the test suite's CPU time (a few minutes)
    python benchmarks/run.py --only startup --only first-question   # some parts only

Whole-process figures are medians of fresh processes after a warm-up; ratios compare runs made
on the same machine in the same run, which is what the targets are about (the machine may be
slow or shared; ratios hold where absolute times do not). The peers (yamllint,
check-jsonschema) and pexpect come from the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the sibling modules
sys.path.insert(1, str(HERE.parent))  # tests/ (the invariants), when run from a clone

import genpack  # noqa: E402
import measure  # noqa: E402

from ms_navigator.invariants import Lengths  # noqa: E402

PY = sys.executable
LEAVE = "; import os; os._exit(0)"
"""How every floor ends: as ms-navigator does (`cli.program`), without the interpreter's
clean-up at exit, so that a ratio compares the same kind of exit (the clean-up of typer alone
is about 10% of importing it, of start's dependencies about 14%)."""
DEPENDENCIES = ("import typer, typer._adapters, yaml, rich.console, questionary, platformdirs; "
                "from pydantic import BaseModel")
"""What `start` needs before its first question: the floor it is compared with, timed as
`start` is, in a pty until it shows a line (`READY`), so that neither side's exit counts.
Every distribution `start` imports before then is here (platformdirs finds the data folder,
to offer a saved visit); `tests/test_startup.py` checks that none is missing."""
READY = "ms-navigator-benchmark-floor-ready"


@dataclass
class Row:
    """One line of the report: a figure, what it is compared with, and its target if any."""

    name: str
    ms: float | None
    note: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None


def _fmt(row: Row) -> str:
    ms = "n/a" if row.ms is None else f"{row.ms:,.1f} ms" if row.ms < 100 else f"{row.ms:,.0f} ms"
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    verdict = "" if row.passed is None else ("PASS" if row.passed else "FAIL")
    return f"| {row.name} | {ms} | {ratio} | {row.note} | {row.target} | {verdict} |"


def startup(repeats: int) -> list[Row]:
    """`--version` and `--help` against the bare import floors, timed in alternation."""
    exe = measure.tool("ms-navigator")
    if exe is None:
        return [Row("ms-navigator", None, "not installed next to this Python")]
    ms = measure.interleaved({
        "pass": measure.process([PY, "-c", "pass"]),
        "typer": measure.process([PY, "-c", "import typer" + LEAVE]),
        "both": measure.process([PY, "-c", "import typer; from pydantic import BaseModel" + LEAVE]),
        "--version": measure.process([exe, "--version"]),
        "--help": measure.process([exe, "--help"]),
    }, repeats, 2)
    floor, both = ms["typer"], ms["both"]
    rows = [Row("python -c pass", ms["pass"]),
            Row('python -c "import typer" (floor)', floor, ratio=1.0),
            Row("import typer + pydantic.BaseModel", both, ratio=both / floor)]
    for arg in ("--version", "--help"):
        rows.append(Row(f"ms-navigator {arg}", ms[arg], f"{ms[arg] / both:.2f}x typer+pydantic",
                        ms[arg] / floor, "<= 1.15x typer", ms[arg] / floor <= 1.15))
    return rows


ANSWERS_DEPENDENCIES = ("import typer, typer._adapters, yaml, rich.console; "
                        "from pydantic import BaseModel" + LEAVE)
"""What `start --answers FILE` needs (no prompts): the floor it is compared with."""


def first_question(work: Path, repeats: int) -> list[Row]:
    """`start` in a pty until the first question shows, and `start --answers FILE` to its
    plan, each against importing what it needs, timed in alternation.

    Every run is cold in the only sense left: nothing is cached between runs (the shipped pack
    comes from the data checked beside the code); the user's default folders point at empty
    ones of the benchmark's own, and the benchmark checks that nothing was written there
    outside the data folder (where a visit keeps its lock while it runs: the issue allows it).
    """
    exe = measure.tool("ms-navigator")
    try:
        import pexpect  # noqa: F401
    except ImportError:
        return [Row("start: first question", None, "needs pexpect (the bench extra)")]
    from ms_navigator import engine, loader

    pack = loader.load_pack_or_raise()
    pending = engine.walk(pack, engine.start(pack)).pending
    assert exe is not None and pending is not None
    home = work / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local" / "share")}
    answers = work / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    ms = measure.interleaved({
        "floor": measure.first_question(
            [PY, "-c", f"{DEPENDENCIES}; print({READY!r}, flush=True); import time; time.sleep(60)"],
            READY, env=env),
        "start": measure.first_question([exe, "start"], pending.text[:40], env=env),
        "answers floor": measure.process([PY, "-c", ANSWERS_DEPENDENCIES]),
        "answers": measure.process([exe, "start", "--answers", str(answers)], env=env),
    }, repeats, 1)
    # The issue allows files in the data folder (a visit's lock is there while it runs, and a
    # run ended by the benchmark leaves it); anything written anywhere else fails the row.
    data = Path(subprocess.run([PY, "-c", "from ms_navigator import store; print(store.folder().parent)"],
                               capture_output=True, text=True, check=True,
                               env={**os.environ, **env}).stdout.strip())
    files = [p for p in home.rglob("*") if p.is_file()]
    written = sorted(str(p.relative_to(home)) for p in files if not p.is_relative_to(data))
    kept = len(files) - len(written)
    floor, answers_floor = ms["floor"], ms["answers floor"]
    note = (f"wrote {', '.join(written)[:60]} outside the data folder" if written else
            "nothing written outside the data folder" + (f" ({kept} file(s) in it)" if kept else ""))
    return [Row("import start's dependencies, shown in a pty (floor)", floor, ratio=1.0),
            Row("start: first question on screen (pty)", ms["start"], note,
                ms["start"] / floor, "<= 1.2x floor", ms["start"] / floor <= 1.2 and not written),
            Row("import start --answers' dependencies (floor)", answers_floor, ratio=1.0),
            Row("start --answers FILE: the plan (text)", ms["answers"], note,
                ms["answers"] / answers_floor, "<= 1.3x floor",
                ms["answers"] / answers_floor <= 1.3 and not written)]


ANSWERS = ("immediate_danger: 'no'\nunder_18: 'no'\norganisation: general\n"
           "care_support_needs: unsure\nnrm_status: unknown\nhas_capacity: 'yes'\n"
           "consent_nrm: 'no'\nfirst_responder: 'yes'\ncriminal_exploitation: 'no'\n"
           "sexual_exploitation: 'yes'\ngender: female\nhousing_situation: housed\n")
"""An adult with capacity who does not consent: a full plan, the Duty to Notify included."""

PARSE_FLOOR = """
import sys, yaml
from pathlib import Path
kept = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in sorted(Path(sys.argv[1]).rglob("*.yaml"))]
import os; os._exit(0)
"""
"""Parse every YAML file of a pack with PyYAML's C loader and keep them all (a linter needs
them together), then leave as lint does (`LEAVE`): the floor of linting the pack."""


def lint_at_scale(work: Path, sizes: list[int], repeats: int, peer_sizes: set[int]) -> Iterator[Row]:
    """`ms-navigator lint DIR` on synthetic packs: time and peak memory against parsing the
    same files with the C loader (the floor), and time against yamllint and check-jsonschema."""
    from ms_navigator import model

    exe = measure.tool("ms-navigator")
    assert exe is not None
    schema = work / "pathway.schema.json"
    schema.write_text(json.dumps(model.Pathway.model_json_schema()), encoding="utf-8")
    ours = {}
    for size in sizes:
        pack = work / f"pack-{size}"
        nodes = genpack.write_pack(pack, size)
        files = sorted(str(p) for p in pack.glob("*.yaml"))
        runs = repeats if size < 100_000 else min(repeats, 3)
        # exit 1 (lint found errors, say from a rule added later) is still a timing; the note
        # column shows the summary line instead of "clean"
        lint = measure.median_usage([exe, "lint", str(pack)], runs, ok=(0, 1))
        floor = measure.median_usage([PY, "-c", PARSE_FLOOR, str(pack)], runs)
        ours[size] = lint.wall * 1000
        at_scale = size >= 100_000
        yield Row(f"parse the {len(files)} files with CSafeLoader, {nodes:,} nodes (floor)",
                  floor.wall * 1000, f"peak {floor.peak_mib:,.0f} MiB", 1.0)
        yield Row(f"ms-navigator lint, {nodes:,} nodes ({len(files)} files)", lint.wall * 1000,
                  _lint_problems(exe, pack), lint.wall / floor.wall,
                  "<= 1.5x floor" if at_scale else "", lint.wall <= 1.5 * floor.wall if at_scale else None)
        yield Row(f"ms-navigator lint, {nodes:,} nodes: peak memory", None,
                  f"{lint.peak_mib:,.0f} MiB against {floor.peak_mib:,.0f}",
                  lint.peak_mib / floor.peak_mib, "<= 2x floor" if at_scale else "",
                  lint.peak_mib <= 2 * floor.peak_mib if at_scale else None)
        if size not in peer_sizes:
            continue
        peers = {"yamllint": ["-f", "parsable", *files],
                 "check-jsonschema": ["--schemafile", str(schema), *files]}
        for name, args in peers.items():
            tool = measure.tool(name)
            if tool is None:
                yield Row(f"{name}, {nodes:,} nodes", None, "not installed (bench extra)")
                continue
            # the peers take seconds a run: no warm-up (lint's runs have warmed the file cache)
            peer = measure.median_ms(measure.process([tool, *args], ok=(0, 1)),
                                     min(repeats, 3), warmup=0)
            yield Row(f"{name}, {nodes:,} nodes", peer, "lint / peer", ours[size] / peer,
                      "lint faster (< 1x)", ours[size] < peer)
    for small, big in itertools.pairwise(sizes):
        growth = ours[big] / ours[small]
        yield Row(f"lint growth, {small:,} to {big:,} nodes", None, "time ratio", growth,
                  f"<= {1.2 * big / small:.0f}x", growth <= 1.2 * big / small)


CHAIN = 24
"""Questions in the adversarial pathway: 2^24 paths, refused by the state limit."""


def adversarial(work: Path, repeats: int) -> list[Row]:
    """`lint` and `impact` on the chain of CHAIN questions read together at the end, against
    `lint` of the shipped pack (what a normal pack costs): refused, and quickly."""
    exe = measure.tool("ms-navigator")
    assert exe is not None
    chain = genpack.write_chain(work / "chain", CHAIN).parent
    done = subprocess.run([exe, "lint", str(chain)], capture_output=True, text=True, check=False)
    refused = done.returncode == 1 and "state-limit" in done.stdout
    ms = measure.interleaved({
        "shipped": measure.process([exe, "lint"]),
        "lint": measure.process([exe, "lint", str(chain)], ok=(1,)),
        "impact": measure.process([exe, "impact", str(chain), str(chain)], ok=(2,)),
    }, repeats, 1)
    return [Row("ms-navigator lint, the shipped pack (reference)", ms["shipped"], ratio=1.0),
            Row(f"lint, {CHAIN} chained questions read together (2^{CHAIN} paths)", ms["lint"],
                "refused: state-limit" if refused else "NOT refused", ms["lint"] / ms["shipped"],
                "refused < 2 s", refused and ms["lint"] < 2000),
            Row("impact, the same pack against itself", ms["impact"], "exit 2",
                ms["impact"] / ms["shipped"], "< 2 s", ms["impact"] < 2000)]


def suite() -> list[Row]:
    """The test suite's CPU time (user and system, every process it starts), against the
    2-minute target and against only collecting it (imports and the shipped pack)."""
    root = HERE.parent
    if not (root / "tests").is_dir():
        return [Row("test suite", None, "run from a clone (tests/ not found)")]
    collect = measure.usage([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"],
                            cwd=root)
    run = measure.usage([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root)
    return [Row("pytest --collect-only: CPU (floor)", collect.cpu * 1000, ratio=1.0),
            Row("the test suite: CPU, every process it starts", run.cpu * 1000,
                f"{run.wall:,.0f} s wall", run.cpu / collect.cpu, "<= 120 s CPU", run.cpu <= 120)]


def _lint_problems(exe: str, pack: Path) -> str:
    done = subprocess.run([exe, "lint", str(pack)], capture_output=True, text=True, check=False)
    return "clean" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-60:]}"


def engine_figures(repeats: int) -> list[Row]:
    """Exhaustive verification and one question-to-question transition, in-process."""
    import inprocess

    pack, load, cached = inprocess.load_ms(repeats)
    ex = inprocess.exhaustive(pack, max(3, repeats // 4))
    tr = inprocess.transition(pack, 5)
    return [
        Row("load and check the shipped pack (warm process)", load),
        Row("the same from the data checked beside the code (start)", cached),
        Row(f"every path of every pathway, with the pack's {ex.invariants} invariants", ex.ms,
            f"{ex.paths:,} paths, {ex.states:,} states, {ex.broken} broken", None, "< 2 s",
            ex.ms < 2000 and ex.broken == 0),
        *budgets(ex.lengths),
        Row(f"transition: engine only (median of {tr.count})", tr.engine),
        Row("transition: engine + rendering (median)", tr.rendered, target="< 5 ms",
            passed=tr.rendered < 5),
        Row("transition: engine + rendering (worst)", tr.rendered_worst, target="< 5 ms",
            passed=tr.rendered_worst < 5),
        Row("transition: + questionary prompt built and run", tr.prompted,
            "third-party widget; see docs/performance.md"),
    ]


PARTS = ("startup", "first-question", "lint", "adversarial", "engine", "suite")
"""The parts of the report, in order (`--only PART` runs some of them)."""

BUDGETS = {"median steps": 10, "largest steps": 15, "median words shown": 400}
"""What a plan may take to read, over every path (issue 13): a plan an officer acts on in a
minute. Words are those the screen shows by default: step summaries and guidance."""


def budgets(lengths: Lengths | None) -> list[Row]:
    """Return the plan lengths over every path against their budgets (counts, not times)."""
    if lengths is None:
        return [Row("plan length over every path", None, "no path")]
    figures = {"median steps": lengths.median_steps, "largest steps": lengths.most_steps,
               "median words shown": lengths.median_words}
    return [Row(f"plan budget: {name} over every path", None, f"{figures[name]:,}", None,
                f"<= {most}", figures[name] <= most) for name, most in BUDGETS.items()]


def compile_own_modules() -> None:
    """Write ms-navigator's bytecode before timing, as pip does for every library of the floor.

    An editable install under PYTHONDONTWRITEBYTECODE=1 (set in some CI jobs and sandboxes)
    would otherwise compile every ms-navigator module from source on each run, while the
    libraries it is compared with load their bytecode: no installed copy works that way.
    """
    import compileall

    import ms_navigator

    compileall.compile_dir(Path(ms_navigator.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--quick", action="store_true", help="fewer repeats; no 10,000-node peers")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of the fast figures")
    parser.add_argument("--no-suite", action="store_true", help="leave out the test suite's time")
    parser.add_argument("--only", metavar="PART", action="append", choices=PARTS,
                        help="run only this part (again for more): " + ", ".join(PARTS))
    args = parser.parse_args(argv)
    fast = args.repeats or (7 if args.quick else 21)
    slow = 3 if args.quick else 5
    print("| benchmark | median | ratio | note | target | result |")
    print("|---|---|---|---|---|---|")
    rows: list[Row] = []
    compile_own_modules()
    with tempfile.TemporaryDirectory(prefix="ms-nav-bench-") as tmp:
        parts: dict[str, Callable[[], Iterable[Row]]] = {
            "startup": lambda: startup(fast),
            "first-question": lambda: first_question(Path(tmp), max(5, fast // 2)),
            "lint": lambda: lint_at_scale(Path(tmp), [1000, 10000, 100000], slow,
                                          {1000} if args.quick else {1000, 10000}),
            "adversarial": lambda: adversarial(Path(tmp), max(3, fast // 4)),
            "engine": lambda: engine_figures(fast),
            "suite": lambda: [] if args.no_suite else suite(),
        }
        for name, part in parts.items():
            if args.only and name not in args.only:
                continue
            for row in part():
                rows.append(row)
                print(_fmt(row), flush=True)
    missed = [r.name for r in rows if r.passed is False]
    print(f"\n{sum(r.passed is True for r in rows)} target(s) met, {len(missed)} missed"
          + (f": {'; '.join(missed)}" if missed else "."))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
