"""Fuzzing what users and attackers hand the command line (issue 15): answers files, saved
visit files and hostile entries in a pack. Every run ends with a message and an exit code in
{0, 1, 2}: never a traceback, an unexpected exception or a hang. Bounded: few examples, and
each run within a time budget, so that the whole suite stays fast."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ms_navigator import store
from ms_navigator.cli import app
from tests.helpers import tiny_pack

BUDGET_SECONDS = 10
"""The most one run may take (a bound, not a benchmark: real runs take a fraction of it)."""
FUZZ = settings(deadline=None, database=None, max_examples=60,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FACTS = ["immediate_danger", "under_18", "organisation", "care_support_needs", "nrm_status",
         "has_capacity", "consent_nrm", "first_responder", "gender", "unknown_fact", ""]
VALUES = ["yes", "no", "unsure", "general", "nhs", "unknown", "not_referred", "maybe", "", "1"]


def invoke(*args: str, stdin: bytes | None = None) -> int:
    """Run the CLI in-process; assert no unexpected exception, a contract code, in the budget."""
    started = time.monotonic()
    result = CliRunner().invoke(app, list(args), input=stdin)
    elapsed = time.monotonic() - started
    unexpected = result.exception if not isinstance(result.exception, SystemExit) else None
    assert unexpected is None, repr(unexpected)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert elapsed < BUDGET_SECONDS
    return result.exit_code


def _scalar() -> st.SearchStrategy[object]:
    return st.one_of(st.sampled_from(VALUES), st.text(max_size=12), st.integers(), st.booleans(),
                     st.none(), st.lists(st.sampled_from(VALUES), max_size=3))


answers_text = st.one_of(
    st.dictionaries(st.sampled_from(FACTS), _scalar(), max_size=9).map(
        lambda d: json.dumps(d).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"under_18: ", b"yes", b"\n", b"- ", b"&a ", b"*a", b"!!python/x ",
                              b"{", b"[", b'"\\e[2J"', b"\x00", b"\t", b": "]), max_size=30).map(
        b"".join),
)


@FUZZ
@given(data=answers_text, fmt=st.sampled_from(["text", "json", "markdown"]))
def test_any_answers_file_ends_with_a_contract_code(data: bytes, fmt: str) -> None:
    invoke("start", "--answers", "-", "--format", fmt, stdin=data)


@pytest.fixture(scope="module")
def sessions_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


saved_text = st.one_of(
    st.binary(max_size=300),
    st.fixed_dictionaries({}, optional={
        "format": st.integers(), "id": st.sampled_from(["20261123-101502-3fa9", "x", ""]),
        "start": st.sampled_from(["identification", "nope", "", "../x"]),
        "answers": st.lists(st.lists(st.sampled_from(FACTS + VALUES), max_size=3), max_size=4),
        "fingerprint": _scalar(), "tool_version": _scalar(),
        "created": st.sampled_from(["2026-11-23T10:15:02+00:00", "2026-11-23T10:15:02", "x", ""]),
        "updated": st.sampled_from(["2026-11-23T10:15:02+00:00", "9999-12-31T23:59:59", "0", ""]),
    }).map(lambda d: json.dumps(d).encode()),
)


@FUZZ
@given(data=saved_text)
def test_any_saved_visit_file_ends_with_a_contract_code(data: bytes, sessions_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store.DIR_ENV, str(sessions_dir))
    own = sessions_dir / store.SUBFOLDER
    own.mkdir(mode=0o700, exist_ok=True)
    (own / "20261123-101502-3fa9.json").write_bytes(data)
    invoke("sessions")
    invoke("sessions", "--format", "json")
    store.all_saved()  # never raises


@pytest.fixture(scope="module")
def pack_dir() -> Iterator[Path]:
    """The small test pack (a hostile entry is read, or refused, before any content matters),
    with a scenarios folder as a real pack has."""
    with tempfile.TemporaryDirectory() as folder:
        target = tiny_pack(Path(folder))
        (target / "scenarios").mkdir()
        yield target


ENTRIES = ["link-out", "link-dev-zero", "fifo", "folder", "yml", "big", "control", "empty"]


@settings(FUZZ, max_examples=8)
@given(kind=st.sampled_from(ENTRIES), where=st.sampled_from(["", "directory/", "scenarios/"]))
def test_a_hostile_entry_in_a_pack_ends_with_a_contract_code(pack_dir: Path, kind: str,
                                                             where: str) -> None:
    path = pack_dir / f"{where}zz-hostile{'.yml' if kind == 'yml' else '.yaml'}"
    if kind == "link-out":
        path.symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/")
    elif kind == "link-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            return
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "big":
        path.write_bytes(b"# x\n" * (3 * 1024 * 1024 // 4))
    elif kind == "control":
        path.write_text('id: "\\e[2J"\n')
    else:
        path.write_bytes(b"" if kind == "empty" else b"id: x\n")
    try:
        invoke("lint", str(pack_dir))
    finally:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x7F), st.sampled_from(
    ["\x85", "\u00e9", "\u200e", "\u202e", "\u2066", "\u2028"])), max_size=12))
def test_has_control_finds_the_first_control_character_whatever_the_text(text: str) -> None:
    """The quick look for plain ASCII and the character-by-character one agree."""
    from ms_navigator import safeio

    first = next((i for i, c in enumerate(text) if safeio._CONTROL.match(c) and c not in "\n\r"), -1)
    assert safeio.has_control(text) == first
