"""Every kind of bad input to `lint FILE` gets one clear, located message and exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import tiny_pack

DEEP = b"id: x\nnodes: " + b"[" * 60 + b"]" * 60 + b"\n"
CASES = [
    ("syntax", b"id: nrm-pre\ntitle: a: b\n", "syntax", 2),
    ("unclosed", b"id: nrm-pre\ntitle: [unclosed\n", "syntax", 3),  # found at the end
    ("tab", b"id: nrm-pre\n\ttitle: x\n", "syntax", 2),
    ("duplicate-key", b"id: nrm-pre\nid: again\n", "duplicate-key", 2),
    ("anchor", b"a: &x [1]\nb: *x\n", "anchor", 1),
    ("alias-bomb", b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", "anchor", 1),
    ("empty", b"", "schema", 1),
    ("scalar", b"just text\n", "schema", 1),
    ("list", b"- a\n- b\n", "schema", 1),
    ("deep", DEEP, "too-deep", 2),
    ("huge", b"# " + b"x" * (3 * 1024 * 1024) + b"\n", "file-too-large", 1),
    ("binary", b"id: x\x00\n", "encoding", 1),
    ("latin-1", "title: caf\u00e9\n".encode("latin-1"), "encoding", 1),
]


@pytest.mark.parametrize(("content", "rule", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_file_gets_one_located_problem(cli, tmp_path: Path, content: bytes, rule: str,
                                           line: int) -> None:
    target = tiny_pack(tmp_path) / "visit.yaml"
    target.write_bytes(content)
    found = json.loads(cli("lint", str(target), "--format", "json", code=1).stdout)
    [problem] = [p for p in found if p["rule"] != "pack-not-checked"]
    assert (problem["rule"], problem["line"]) == (rule, line)
    assert [p["rule"] for p in found].count("pack-not-checked") == 1  # and the run says why
    assert problem["path"].endswith("visit.yaml") and problem["message"]


def test_a_folder_where_a_file_belongs(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    target = root / "visit.yaml"
    target.unlink()
    target.mkdir()
    out = cli("lint", str(root), code=1).stdout
    assert out.count("\n") == 2 and "visit.yaml:1:1: error file this is a folder" in out
    assert " error pack-not-checked " in out


def test_a_folder_that_is_not_a_pack(cli, tmp_path: Path) -> None:
    out = cli("lint", str(tmp_path), code=1).stdout
    assert out == f"{tmp_path}:0:0: error file not a pathway pack: a pack folder holds the pathway " \
                  "files and a directory/ folder (facts.yaml, steps.yaml, ...).\n"


def test_missing_file_inside_a_pack(cli, tmp_path: Path) -> None:
    out = cli("lint", str(tiny_pack(tmp_path) / "no-such.yaml"), code=2).stdout  # bad usage (contract)
    assert out.count("\n") == 1 and "no-such.yaml:0:0: error file" in out
