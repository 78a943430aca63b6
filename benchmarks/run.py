"""Run every ms-navigator benchmark and print a table of medians, ratios and targets.

    python benchmarks/run.py            # the report; exit 0 whatever the figures
    python benchmarks/run.py --check    # exit 1 if any target is missed
    python benchmarks/run.py --quick    # fewer repeats and no 10,000-node peers (a smoke run)

Whole-process figures are medians of fresh processes after a warm-up; ratios compare runs made
on the same machine in the same run, which is what the targets are about (the machine may be
slow or shared; ratios hold where absolute times do not). The peers (yamllint,
check-jsonschema) and pexpect come from the `bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the sibling modules
sys.path.insert(1, str(HERE.parent))  # tests/ (the invariants), when run from a clone

import genpack  # noqa: E402
import measure  # noqa: E402

PY = sys.executable
DEPENDENCIES = ("import typer, typer._adapters, yaml, rich.console, questionary; "
                "from pydantic import BaseModel")
"""What `start` needs before its first question: the floor it is compared with."""


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
        "typer": measure.process([PY, "-c", "import typer"]),
        "both": measure.process([PY, "-c", "import typer; from pydantic import BaseModel"]),
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


def first_question(work: Path, repeats: int) -> list[Row]:
    """`start` in a pty until the first question shows, against importing what it needs.

    The target is for `start` as an officer meets it from the second run on: with the cache of
    the checked pack (filled by the warm-up run; in a folder of the benchmark's own, so the
    user's cache and saved visits are left alone). The same with the cache turned off is shown
    beside it, without a target.
    """
    exe = measure.tool("ms-navigator")
    try:
        import pexpect  # noqa: F401
    except ImportError:
        return [Row("start: first question", None, "needs pexpect (the bench extra)")]
    from ms_navigator import engine, loader

    pack = loader.load_pack().pack
    assert pack is not None
    pending = engine.walk(pack, engine.start(pack)).pending
    assert exe is not None and pending is not None
    # the default folders, as a user has them, but empty and in the benchmark's own place
    env = {"XDG_CACHE_HOME": str(work / "cache"), "XDG_DATA_HOME": str(work / "data")}
    ms = measure.interleaved({
        "floor": measure.process([PY, "-c", DEPENDENCIES]),
        "start": measure.first_question([exe, "start"], pending.text[:40], env=env),
        "uncached": measure.first_question([exe, "start"], pending.text[:40],
                                           env={**env, "MS_NAVIGATOR_NO_CACHE": "1"}),
    }, repeats, 1)
    floor = ms["floor"]
    return [Row("import start's dependencies (floor)", floor, ratio=1.0),
            Row("start: first question on screen (pty)", ms["start"], "checked pack from the cache",
                ms["start"] / floor, "<= 1.2x floor", ms["start"] / floor <= 1.2),
            Row("start: the same, cache off (first run, or MS_NAVIGATOR_NO_CACHE=1)",
                ms["uncached"], "full load and check", ms["uncached"] / floor)]


def lint_at_scale(work: Path, sizes: list[int], repeats: int, peer_sizes: set[int]) -> Iterator[Row]:
    """`ms-navigator lint DIR` on synthetic packs, against yamllint and check-jsonschema."""
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
        # exit 1 (lint found errors, say from a rule added later) is still a timing; the note
        # column shows the summary line instead of "clean"
        ms = measure.median_ms(measure.process([exe, "lint", str(pack)], ok=(0, 1)), repeats)
        ours[size] = ms
        yield Row(f"ms-navigator lint, {nodes:,} nodes ({len(files)} files)", ms,
                  _lint_problems(exe, pack))
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
            yield Row(f"{name}, {nodes:,} nodes", peer, "lint / peer", ms / peer,
                      "lint faster (< 1x)", ms < peer)
    if len(sizes) == 2:
        small, big = sizes
        growth = ours[big] / ours[small]
        yield Row(f"lint growth, {big // small}x nodes", None, "time ratio", growth,
                  f"<= {1.2 * big / small:.0f}x", growth <= 1.2 * big / small)


def _lint_problems(exe: str, pack: Path) -> str:
    import subprocess

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
        Row("the same from the cache of checked packs", cached),
        Row(f"every path of every pathway, with the pack's {ex.invariants} invariants", ex.ms,
            f"{ex.paths:,} paths, {ex.states:,} states, {ex.broken} broken", None, "< 2 s",
            ex.ms < 2000 and ex.broken == 0),
        Row(f"transition: engine only (median of {tr.count})", tr.engine),
        Row("transition: engine + rendering (median)", tr.rendered, target="< 5 ms",
            passed=tr.rendered < 5),
        Row("transition: engine + rendering (worst)", tr.rendered_worst, target="< 5 ms",
            passed=tr.rendered_worst < 5),
        Row("transition: + questionary prompt built and run", tr.prompted,
            "third-party widget; see docs/performance.md"),
    ]


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
    args = parser.parse_args(argv)
    fast = args.repeats or (7 if args.quick else 21)
    slow = 3 if args.quick else 5
    print("| benchmark | median | ratio | note | target | result |")
    print("|---|---|---|---|---|---|")
    rows: list[Row] = []
    compile_own_modules()
    with tempfile.TemporaryDirectory(prefix="ms-nav-bench-") as tmp:
        for part in (lambda: startup(fast), lambda: first_question(Path(tmp), max(5, fast // 2)),
                     lambda: lint_at_scale(Path(tmp), [1000, 10000], slow,
                                           {1000} if args.quick else {1000, 10000}),
                     lambda: engine_figures(fast)):
            for row in part():
                rows.append(row)
                print(_fmt(row), flush=True)
    missed = [r.name for r in rows if r.passed is False]
    print(f"\n{sum(r.passed is True for r in rows)} target(s) met, {len(missed)} missed"
          + (f": {'; '.join(missed)}" if missed else "."))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
