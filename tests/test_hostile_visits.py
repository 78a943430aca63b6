"""A visit survives a full disk, a second terminal and an interruption, and can always be left
at once (issue 15, items 4, 5, 6 and 11). Plain mode reads typed lines, so these run in-process;
the real terminal is in test_pty.py."""

from __future__ import annotations

import errno
import fcntl
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from ms_navigator import prompts, store
from ms_navigator.commands import visits
from tests.helpers import session_with

SCENARIOS = Path(__file__).parents[1] / "pathways" / "scenarios"


def disk_full(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def saved_visit(pack, answers: dict[str, str] | None = None) -> store.Saved:
    """A visit saved to disk with these answers (in the order they are asked)."""
    session = session_with(pack, answers or {"immediate_danger": "no"})
    saved = replace(store.new(session.start, "f" * 16), answers=session.answers)
    store.save(saved)
    return saved


def own_files(data_dir: Path, ident: str) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if ident in p.name) if data_dir.is_dir() else []


# --- Item 4: a full disk or a read-only folder never ends the visit --------------------------


def test_a_full_disk_keeps_the_visit_and_shows_the_answers_on_pause(cli, monkeypatch) -> None:
    monkeypatch.setattr(store, "write_private", disk_full)
    result = cli("start", "--plain", stdin="2\np\n")  # no immediate danger; then pause
    assert "could not be saved" in result.stderr and "No space left" in result.stderr
    assert result.stderr.count("could not be saved") == 1  # said once, not at every answer
    assert "immediate_danger: no" in result.stdout  # nothing typed is lost
    assert "start --answers FILE" in result.stdout


def test_an_unusable_data_folder_keeps_the_visit_going(cli, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(store.DIR_ENV, str(blocker))  # like a read-only or missing drive
    result = cli("start", "--plain", stdin="2\n1\np\n")  # two answers, then pause
    assert "could not be saved" in result.stderr
    assert "immediate_danger: no" in result.stdout and "under_18: " in result.stdout


def test_saving_again_once_the_disk_has_room(cli, data_dir: Path, monkeypatch) -> None:
    real, calls = store.write_private, []

    def full_once(path: Path, content: str | bytes) -> None:
        if path.parent == data_dir:  # saved visits only (not, say, a cache)
            calls.append(path)
            if len(calls) == 1:
                disk_full()
        real(path, content)

    monkeypatch.setattr(store, "write_private", full_once)
    result = cli("start", "--plain", stdin="2\n1\np\n")
    assert "saved to disk again" in result.stderr and re.search(r"Paused. Run 'ms-navigator resume \d{8}-\d{6}-[0-9a-f]{4}' to continue", result.stdout)
    [saved] = store.all_saved()
    assert [fact for fact, _ in saved.answers] == ["immediate_danger", "under_18"]


# --- Item 5: one terminal per visit -----------------------------------------------------------


@pytest.fixture()
def other_terminal(data_dir: Path, pack) -> Iterator[store.Saved]:
    """A saved visit whose lock another terminal holds (another open file, as another process
    would have)."""
    saved = saved_visit(pack)
    with open(data_dir / f"{saved.id}.lock", "wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield saved


def test_a_visit_open_elsewhere_is_never_deleted(cli, data_dir: Path, other_terminal) -> None:
    ident = other_terminal.id
    assert "another terminal" in cli("sessions", "--delete", ident, code=2).stderr
    assert "Deleted 0 saved visit(s)" in cli("sessions", "--delete-all").stdout
    assert f"{ident}.json" in own_files(data_dir, ident)


def test_a_visit_open_elsewhere_is_never_offered_or_resumed(cli, data_dir: Path, other_terminal,
                                                            monkeypatch) -> None:
    result = cli("start", "--plain", stdin="x\n")
    assert "Resume it?" not in result.stdout and "Quick exit." in result.stdout
    monkeypatch.setenv("TERM", "dumb")
    assert "another terminal" in cli("resume", other_terminal.id, code=2).stderr
    assert "no saved visit to resume" in cli("resume", code=2).stderr  # not the latest either
    assert f"{other_terminal.id}.json" in own_files(data_dir, other_terminal.id)


def test_a_lock_is_released_and_removed_with_its_visit(data_dir: Path, pack) -> None:
    saved = saved_visit(pack)
    store.lock(saved.id)
    assert not store.is_open_elsewhere(saved.id)  # this terminal's own visit
    store.delete(saved.id)
    assert own_files(data_dir, saved.id) == []


# --- Item 6: quick exit and pause everywhere ---------------------------------------------------


def test_quick_exit_at_the_offer_to_resume_deletes_every_copy(cli, data_dir: Path, pack) -> None:
    saved = saved_visit(pack)
    (data_dir / f".{saved.id}.json.k3j4.tmp").write_text("{}")  # a crash's leftover
    store.save_notes(saved.id, "notes")
    result = cli("start", "--plain", stdin="x\n")
    assert "Resume it?" in result.stdout and "Quick exit." in result.stdout
    assert own_files(data_dir, saved.id) == []


def test_plain_mode_shows_and_takes_pause_and_quick_exit(cli, data_dir: Path) -> None:
    result = cli("start", "--plain", stdin="2\npause\n")
    shown = " ".join(result.stdout.split())
    assert "p then Enter to pause" in shown and "x then Enter for the quick exit" in shown
    assert re.search(r"Paused. Run 'ms-navigator resume \d{8}-\d{6}-[0-9a-f]{4}' to continue", result.stdout)
    [saved] = store.all_saved()
    result = cli("start", "--plain", stdin="1\nexit\n")  # resume it, then the quick exit
    assert "Quick exit." in result.stdout and store.all_saved() == []


def test_resume_honours_term_dumb(cli, pack, monkeypatch) -> None:
    saved_visit(pack)
    monkeypatch.setenv("TERM", "dumb")
    result = cli("resume", stdin="x\n")
    assert "Type a number" in result.stdout and "Quick exit." in result.stdout
    assert store.all_saved() == []


def test_walk_takes_the_quick_exit(cli) -> None:
    result = cli("walk", "child-age-unsure", "--pause", stdin="x\n\n\n")
    assert "x quick exit" in result.stdout and "Question 1 of" not in result.stdout


# --- Item 11: typed notes are never lost -------------------------------------------------------


@pytest.fixture()
def finished_visit(pack, monkeypatch) -> store.Saved:
    """A saved visit with every answer given: resuming it goes straight to the review screen,
    which the scripted asker confirms."""
    given = yaml.safe_load((SCENARIOS / "adult-refuses-consent.yaml").read_text())["given"]
    saved = saved_visit(pack, given)
    monkeypatch.setattr(prompts, "require_terminal", lambda *_: None)
    monkeypatch.setattr(prompts, "QuestionaryAsker",
                        lambda saving=True: prompts.ScriptedAsker([prompts.DONE]))
    return saved


def test_notes_typed_before_ctrl_c_are_kept(cli, finished_visit, tmp_path: Path,
                                           monkeypatch) -> None:
    def interrupted(default: str = "") -> str:
        raise prompts.InterruptedNotes("Interpreter booked for Tuesday.")

    monkeypatch.setattr(prompts, "notes", interrupted)
    result = cli("resume", "--output", str(tmp_path / "case.md"), code=130)
    assert "notes are kept in" in result.stderr
    assert store.load_notes(finished_visit.id) == "Interpreter booked for Tuesday."
    offered = []
    monkeypatch.setattr(prompts, "notes", lambda default="": offered.append(default) or default)
    cli("resume", "--output", str(tmp_path / "case.md"))
    assert offered == ["Interpreter booked for Tuesday."]  # offered again, as typed
    assert (tmp_path / "case.md").read_text().rstrip().endswith("Interpreter booked for Tuesday.")
    assert store.load_notes(finished_visit.id) == ""  # written: deleted with the visit


def test_notes_are_kept_when_the_summary_cannot_be_written(cli, finished_visit, tmp_path: Path,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(prompts, "notes", lambda default="": "Second visit on Friday.")
    monkeypatch.setattr(visits, "write_private", disk_full)
    result = cli("resume", "--output", str(tmp_path / "case.md"), code=2)
    assert "No space left" in result.stderr and "answers and notes are still saved" in result.stderr
    assert "RECOMMENDED STEPS" in result.stdout  # the plan is on screen instead
    assert store.load_notes(finished_visit.id) == "Second visit on Friday."
