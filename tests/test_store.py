"""Saved visits: owner-only, atomic (a crash between write and rename keeps the last save), expiry."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from ms_navigator import engine, store
from ms_navigator.errors import NavigatorError
from tests.helpers import TINY, tiny_pack


def saved_with(*answers: tuple[str, str]) -> store.Saved:
    return replace(store.new("identification", "f" * 16), answers=tuple(answers))


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_saved_files_are_owner_only(data_dir: Path) -> None:
    saved = saved_with(("immediate_danger", "no"))
    store.save(saved)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / f"{saved.id}.json").stat().st_mode) == 0o600


def test_save_round_trips(data_dir: Path) -> None:
    saved = saved_with(("immediate_danger", "no"), ("under_18", "unsure"))
    store.save(saved)
    [again] = store.all_saved()
    assert again == saved
    assert again.session() == engine.Session("identification", saved.answers)


def test_crash_between_write_and_rename_keeps_the_previous_save(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = saved_with(("immediate_danger", "no"))
    store.save(first)

    def crash(*_: object) -> None:
        raise SystemExit("power cut")  # the process dies before the rename

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(store.os, "replace", crash)
        patch.setattr(store.os, "unlink", lambda *_: None)  # a real crash cleans nothing up
        store.save(store.with_session(first, engine.Session("identification", (
            ("immediate_danger", "no"), ("under_18", "yes")))))
    leftovers = [p for p in data_dir.iterdir() if p.name.startswith(".")]
    assert len(leftovers) == 1 and "under_18" in leftovers[0].read_text()  # the new text was written...
    assert store.all_saved() == [first]  # ...but the saved visit is still the previous, whole one


def test_a_failed_write_leaves_no_temporary_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(saved_with())
    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(store.os, "replace", lambda *_: (_ for _ in ()).throw(OSError("disk full")))
        store.save(saved_with(("immediate_danger", "yes")))
    assert [p.suffix for p in data_dir.iterdir()] == [".json"]


def test_expired_visits_and_stale_temporary_files_are_deleted(data_dir: Path) -> None:
    old, recent = saved_with(), saved_with()
    store.save(replace(old, id=old.id[:-4] + "0000", updated=store.now() - timedelta(days=8)))
    store.save(replace(recent, id=recent.id[:-4] + "1111"))
    stale = data_dir / f".{old.id}.json.abc.tmp"
    stale.write_text("{}")
    os.utime(stale, (0, 0))
    assert store.expire(7) == 1
    assert [s.id[-4:] for s in store.all_saved()] == ["1111"]
    assert not stale.exists()


def test_delete_and_delete_all(data_dir: Path) -> None:
    a, b = saved_with(), saved_with()
    b = replace(b, id=b.id[:-4] + ("0000" if a.id[-4:] != "0000" else "1111"))
    store.save(a)
    store.save(b)
    assert store.delete(a.id) and not store.delete(a.id)
    assert not store.delete("../../etc/passwd")
    assert store.delete_all() == 1 and store.all_saved() == []


@pytest.mark.parametrize("change", [
    {"answers": [["immediate_danger", "Jane Smith, 12 High St"]]},
    {"start": "../identification"},
    {"id": "anything"},
])
def test_a_file_with_free_text_is_not_a_saved_visit(change: dict[str, object]) -> None:
    data = json.loads(saved_with(("immediate_danger", "no")).to_json())
    with pytest.raises(ValueError):
        store.Saved.from_json(json.dumps({**data, **change}))


def test_fingerprint_changes_with_any_pathway_file(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    before = store.fingerprint(root)
    assert before == store.fingerprint(TINY)  # the content counts, not the folder it is in
    target = root / "directory" / "steps.yaml"
    target.write_text(target.read_text() + "\n")
    assert store.fingerprint(root) != before


@pytest.mark.parametrize("value", ["0", "seven", "-3"])
def test_keep_days_must_be_a_positive_whole_number(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(store.DAYS_ENV, value)
    with pytest.raises(NavigatorError, match=store.DAYS_ENV):
        store.keep_days()


def test_sessions_command_lists_and_deletes(cli, data_dir: Path) -> None:
    saved = saved_with(("immediate_danger", "no"))
    store.save(saved)
    rows = json.loads(cli("sessions", "--format", "json").stdout)
    assert [(r["id"], r["answers"]) for r in rows] == [(saved.id, 1)]
    assert "1 saved visit in" in cli("sessions").stdout
    assert "no saved visit 'nope'" in cli("sessions", "--delete", "nope", code=2).stderr
    cli("sessions", "--delete", saved.id)
    assert store.all_saved() == []
    assert "Deleted 0" in cli("sessions", "--delete-all").stdout


def test_resume_needs_a_terminal(cli) -> None:
    store.save(saved_with(("immediate_danger", "no")))
    assert "--answers" in cli("resume", code=2).stderr


def test_resume_without_a_saved_visit_says_so(cli) -> None:
    assert "no saved visit to resume" in cli("resume", code=2).stderr


def test_start_with_answers_never_asks_about_a_saved_visit(cli) -> None:
    from tests.test_cli import ADULT_DTN

    saved = saved_with(("immediate_danger", "no"))
    store.save(saved)
    assert "RECOMMENDED STEPS" in cli("start", "--answers", "-", stdin=ADULT_DTN).stdout
    assert store.all_saved() == [saved]  # untouched
