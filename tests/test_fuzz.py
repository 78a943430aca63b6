"""Bad input never crashes: the shipped pack files, mutated hundreds of ways a run, only ever give Problems.

Two layers: each mutated file through the reader and its model (many examples, cheap), and a
mutated file inside a whole pack through every lint rule, including the invariant search
(fewer examples, as each explores every path).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ms_navigator import lint, loader, model
from ms_navigator.problems import Problem

ROOT = loader.shipped_pack_dir()
FILES = sorted(p.relative_to(ROOT) for p in ROOT.rglob("*.yaml") if "scenarios" not in p.parts)
SCHEMAS = {f"directory/{n}": s for n, s in loader.DIRECTORY_SCHEMAS.items()}
ORIGINAL = {f: (ROOT / f).read_bytes() for f in FILES}
KEY = re.compile(rb"^(\s*-?\s*)([a-z_]+):", re.M)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, bytes]:
    """Return a shipped file and its bytes after one to three random edits."""
    name = draw(st.sampled_from(FILES))
    data = ORIGINAL[name]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "delete", "duplicate", "rename", "insert"]))
        lines = data.split(b"\n")
        if kind == "flip" and data:
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
        elif kind == "delete":
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"\n".join(lines)
        elif kind == "duplicate":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif kind == "rename":
            keys = list(KEY.finditer(data))
            if keys:
                match = draw(st.sampled_from(keys))
                new = draw(st.sampled_from([b"id", b"next", b"type", b"nxt", b"in", b"when", b"X"]))
                data = data[:match.start(2)] + new + data[match.end(2):]
        else:
            i = draw(st.integers(0, len(data)))
            data = data[:i] + draw(st.sampled_from([b"\t", b": ", b"&a ", b"*a", b"!!str ",
                                                    b"[", b"{", b"\x00", b"'", b"- "])) + data[i:]
    return name, data


def _valid(problems: list[Problem]) -> bool:
    return all(isinstance(p, Problem) and p.line >= 0 and p.column >= 0 and str(p) for p in problems)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


# No deadline: a slow example is not a failure. No database: CI runs stay independent.
FUZZ = settings(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# 500 mutations a run, about a dozen for each shipped file (1,500 took 7 s of the suite's CPU for
# little more: hypothesis draws new ones every run, so runs add up to more cases than any one).
@settings(FUZZ, max_examples=500)
@given(case=mutated())
def test_a_mutated_file_gives_problems_never_a_crash(scratch: Path, case: tuple[Path, bytes]) -> None:
    name, data = case
    target = scratch / name.name
    target.write_bytes(data)
    schema = SCHEMAS.get(name.as_posix(), model.Pathway)
    result, problems, _ = loader.validate_file(target, schema)
    assert (result is None) == bool(problems)
    assert _valid(problems)


# 25 whole-pack lints a run (40 took 4-12 s: a mutation that changes what the invariant search
# reads costs a new search of the whole pack, and how many do is chance).
@settings(FUZZ, max_examples=25)
@given(case=mutated())
def test_a_mutated_pack_lints_to_problems_never_a_crash(scratch: Path, case: tuple[Path, bytes]) -> None:
    name, data = case
    pack = scratch / "pack"
    if not pack.exists():
        shutil.copytree(ROOT, pack)
    try:
        (pack / name).write_bytes(data)
        assert _valid(lint.lint_pack(pack))
    finally:
        (pack / name).write_bytes(ORIGINAL[name])
