"""A visit keeps the options it began with: `resume` writes the case summary where it was
first asked for, in plain mode and with explanations if the visit had them, and says so."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from ms_navigator import store

RESUME = re.compile(r"ms-navigator resume (\d{8}-\d{6}-[0-9a-f]{4})")


def paused(cli, *options: str) -> str:  # noqa: ANN001
    """Start a plain visit with these options, answer the first question, pause; return its id."""
    result = cli("start", "--plain", *options, stdin="2\np\n")
    found = RESUME.search(result.stdout)
    assert found, result.stdout
    return found.group(1)


def test_the_options_are_saved_with_the_visit(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    ident = paused(cli, "--output", "case.md", "--explain", "--force")
    (saved,) = store.all_saved()
    assert saved.id == ident
    assert saved.options == store.Options(str(tmp_path / "case.md"), None, True, True, True)
    data = json.loads((store.folder() / f"{ident}.json").read_text())
    assert data["options"]["output"] == str(tmp_path / "case.md")


def test_pause_names_the_exact_command_and_where_the_summary_will_go(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = cli("start", "--plain", "--output", "case.md", stdin="2\np\n").stdout
    (saved,) = store.all_saved()
    assert f"Run 'ms-navigator resume {saved.id}' to continue" in out
    assert f"will still be written to {tmp_path / 'case.md'}" in out


def test_resume_from_another_folder_writes_the_file_first_asked_for(cli, tmp_path: Path, monkeypatch) -> None:
    first, elsewhere = tmp_path / "first", tmp_path / "elsewhere"
    first.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(first)
    ident = paused(cli, "--output", "case.md", "--explain")
    monkeypatch.chdir(elsewhere)
    result = cli("resume", ident, stdin="1\n1\n2\n0\n")  # plain mode is restored: numbers from stdin
    summary = first / "case.md"
    assert f"the case summary written to {summary}" in result.stderr
    assert "(plain mode, explanations)" in result.stderr
    assert "Why:" in result.stdout  # --explain restored
    assert summary.is_file() and not (elsewhere / "case.md").exists()
    assert stat.S_IMODE(summary.stat().st_mode) == 0o600
    assert summary.read_text().startswith("# Modern slavery: case summary")
    assert store.all_saved() == []


def test_sessions_lists_where_each_summary_will_go(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    paused(cli, "--output", "case.md")
    assert f"summary to {tmp_path / 'case.md'}" in cli("sessions").stdout
    assert json.loads(cli("sessions", "--format", "json").stdout)[0]["output"] == str(tmp_path / "case.md")


def test_options_given_to_resume_replace_the_saved_ones(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    ident = paused(cli, "--output", "case.md")
    result = cli("resume", ident, "--output", "other.json", stdin="1\n1\n2\n0\n")
    assert f"the case summary written to {tmp_path / 'other.json'}" in result.stderr
    assert not (tmp_path / "case.md").exists()
    assert "case_summary" in json.loads((tmp_path / "other.json").read_text())


def test_a_saved_output_that_now_exists_is_refused_before_any_question(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    ident = paused(cli, "--output", "case.md")
    (tmp_path / "case.md").write_text("someone else's file\n")
    result = cli("resume", ident, code=2)
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (tmp_path / "case.md").read_text() == "someone else's file\n"
    assert [s.id for s in store.all_saved()] == [ident]  # nothing lost


def test_standard_output_is_kept_as_the_output_too(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    ident = paused(cli, "--output", "-", "--format", "markdown")
    result = cli("resume", ident, stdin="1\n1\n2\n0\n")
    assert "The case summary will be written to standard output" in result.stderr
    assert "# Modern slavery: case summary" in result.stdout
    assert not (tmp_path / "-").exists()


def test_resume_without_options_says_the_plan_will_be_shown(cli) -> None:
    ident = paused(cli)
    result = cli("resume", ident, stdin="1\n1\n2\n0\n")
    assert "The plan will be shown on screen (plain mode)." in result.stderr
    assert "RECOMMENDED STEPS" in result.stdout


@pytest.mark.parametrize("options", [
    {"output": "a\nb"}, {"output": 3}, {"format": "html"}, {"plain": "yes"}, [],
])
def test_a_saved_visit_with_options_that_are_not_options_is_not_read(data_dir: Path, options: object) -> None:
    saved = store.new("identification", "f" * 16)
    store.save(saved)
    path = store.folder() / f"{saved.id}.json"
    data = json.loads(path.read_text())
    data["options"] = options
    path.write_text(json.dumps(data))
    assert store.all_saved() == []


def test_a_visit_saved_before_options_were_kept_still_resumes(data_dir: Path) -> None:
    saved = store.new("identification", "f" * 16)
    store.save(saved)
    path = store.folder() / f"{saved.id}.json"
    data = json.loads(path.read_text())
    del data["options"]
    path.write_text(json.dumps(data))
    assert store.all_saved()[0].options == store.Options()


def test_overriding_keeps_flags_and_gives_a_new_output_its_own_force() -> None:
    saved = store.Options("/cases/a.md", None, True, True, False)
    assert saved.overridden(store.Options()) == saved
    assert saved.overridden(store.Options("/cases/b.md")) == store.Options("/cases/b.md", None, False, True, False)
    assert saved.overridden(store.Options(explain=True, fmt="json")) == store.Options("/cases/a.md", "json", True, True, True)


pexpect = pytest.importorskip("pexpect")


def test_resume_after_ctrl_c_in_a_terminal_writes_the_summary_first_asked_for(tmp_path: Path) -> None:
    from tests.test_pty import CTRL_C, DOWN, ENTER, EXE, WAIT, as_in_a_terminal, finish, press

    first, elsewhere = tmp_path / "first", tmp_path / "elsewhere"
    first.mkdir()
    elsewhere.mkdir()
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}

    def run(*args: str, cwd: Path):  # noqa: ANN202
        return pexpect.spawn(EXE, list(args), env=env, encoding="utf-8", timeout=WAIT, cwd=str(cwd),
                             dimensions=(40, 100), preexec_fn=as_in_a_terminal)

    child = run("start", "--output", "case.md", cwd=first)
    child.expect_exact("at risk of immediate harm")
    press(child, DOWN + ENTER)  # no immediate danger
    child.expect_exact("Could the person be under 18?")
    press(child, CTRL_C)
    child.expect_exact("Interrupted")
    said = finish(child, 130)
    found = RESUME.search(said)
    assert found, said
    assert f"will still be written to {first / 'case.md'}" in " ".join(said.split())

    child = run("resume", found.group(1), cwd=elsewhere)
    child.expect_exact(f"the case summary written to {first / 'case.md'}")
    child.expect_exact("Could the person be under 18?")
    press(child, ENTER)  # yes
    child.expect_exact("Which organisation are you working for?")
    press(child, ENTER)  # any other organisation
    child.expect_exact("made to commit crime")
    press(child, ENTER)  # yes, or not known
    child.expect_exact("Check the answers")
    press(child, ENTER)  # the answers are right
    child.expect_exact("Notes for the case record")
    press(child, ENTER)  # no notes
    child.expect_exact("Case summary written to")
    child.expect_exact("RECOMMENDED STEPS")  # the plan is on screen too
    child.expect_exact("DO FIRST")
    finish(child, 0)
    summary = first / "case.md"
    assert summary.is_file() and stat.S_IMODE(summary.stat().st_mode) == 0o600
    assert "Could the person be under 18? " in summary.read_text()
    assert not (elsewhere / "case.md").exists()


def test_answers_with_output_in_a_terminal_also_show_the_plan(tmp_path: Path) -> None:
    from tests.test_pty import EXE, WAIT, as_in_a_terminal, finish

    (tmp_path / "answers.yaml").write_text('immediate_danger: "yes"\nunder_18: "no"\norganisation: general\n'
                                           'care_support_needs: "no"\nnrm_status: not_referred\n'
                                           'has_capacity: "yes"\nconsent_nrm: "yes"\nfirst_responder: "yes"\n'
                                           'criminal_exploitation: "no"\nsexual_exploitation: "yes"\n'
                                           'gender: female\nhousing_situation: housed\n')
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    child = pexpect.spawn(EXE, ["start", "--answers", "answers.yaml", "--output", "case.md"], env=env,
                          encoding="utf-8", timeout=WAIT, cwd=str(tmp_path), dimensions=(40, 100),
                          preexec_fn=as_in_a_terminal)
    child.expect_exact("Case summary written to case.md")
    child.expect_exact("RECOMMENDED STEPS")
    child.expect_exact("1. Now: Call 999")
    child.expect_exact("DO FIRST")
    rest = finish(child, 0)
    assert "Call 999" in rest and (tmp_path / "case.md").is_file()
