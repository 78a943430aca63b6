"""Hostile files, folders, streams and environment values (issue 15): each is refused with a
message and the contract's exit code, never a traceback, a hang, or an echo of what it holds."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ms_navigator import safeio, store
from ms_navigator.commands import visits
from tests.helpers import edit, tiny_pack

EXE = shutil.which("ms-navigator", path=str(Path(sys.executable).parent)) or "ms-navigator"
SECRET = "s3cret-line-that-must-never-be-shown"
ADULT = "immediate_danger: 'no'\nunder_18: 'no'\norganisation: general\n"


def run(*args: str, timeout: float = 30, **kwargs) -> subprocess.CompletedProcess[str]:  # noqa: ANN003
    """Run the real program (streams, signals and exit codes as a shell sees them)."""
    result = subprocess.run([EXE, *args], capture_output=kwargs.pop("capture", True), text=True,
                            timeout=timeout, **kwargs)
    assert "Traceback" not in (result.stderr or "") + (result.stdout or "")
    return result


# --- Item 3: every file read is regular, inside its root, size-limited --------------------


def test_a_link_out_of_the_pack_is_refused_and_not_echoed(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n")
    (root / "x.yaml").symlink_to(secret)
    for args in (["lint", str(root)], ["lint", str(root / "x.yaml")]):
        result = cli(*args, code=2)
        assert "file-refused" in result.stdout and SECRET not in result.stdout + result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_and_devices_are_refused_without_hanging(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    os.mkfifo(root / "f.yaml")
    assert run("lint", str(root), timeout=60).returncode == 2
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero", "/dev/urandom"):
        result = run("start", "--answers", source)
        assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_pack_file_linked_to_dev_zero_is_refused(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    (root / "z.yaml").symlink_to("/dev/zero")
    assert "file-refused" in cli("lint", str(root), code=2).stdout


def test_endless_stdin_for_answers_is_bounded() -> None:
    with open("/dev/zero", "rb") as endless:
        result = run("start", "--answers", "-", stdin=endless)
    assert result.returncode == 2 and "larger than" in result.stderr


def test_at_most_limit_plus_one_bytes_are_read() -> None:
    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.given = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # noqa: ANN001
            buffer[:] = b"a" * len(buffer)
            self.given += len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(safeio.RefusedFile):
        safeio.read_bounded(stream, 1000, "x", "file")  # type: ignore[arg-type]
    assert stream.given == 1001


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_saved_visit_files_that_are_fifos_or_folders_are_ignored(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    os.mkfifo(data_dir / "20261123-101502-3fa9.json")
    (data_dir / "20261123-101502-3fa8.json").mkdir()
    assert store.all_saved() == []
    result = run("sessions")
    assert result.returncode == 0 and "No saved visits" in result.stdout
    assert run("sessions", "--delete-all").returncode == 0


# --- Item 7: files and folders the user chose ------------------------------------------------


def _scenario_answers(tmp_path: Path) -> Path:
    """An answers file that reaches a plan: the given answers of a shipped scenario."""
    import yaml

    scenario = Path(__file__).parents[1] / "pathways" / "scenarios" / "adult-refuses-consent.yaml"
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(yaml.safe_load(scenario.read_text())["given"]))
    return path


def test_output_writes_a_new_file_and_replaces_one_only_with_force(cli, tmp_path: Path) -> None:
    answers = str(_scenario_answers(tmp_path))
    target = tmp_path / "case.md"
    target.write_text("earlier case\n")
    result = cli("start", "--answers", answers, "--output", str(target), code=2)
    assert "--force" in result.stderr and target.read_text() == "earlier case\n"
    cli("start", "--answers", answers, "--output", str(target), "--force")
    assert target.read_text().startswith("# Modern slavery: case summary")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout", "folder", "link"])
def test_output_never_writes_over_a_special_file_folder_or_link(cli, tmp_path: Path,
                                                               target: str) -> None:
    path = Path(target)
    if target == "folder":
        path = tmp_path / "folder"
        path.mkdir()
    elif target == "link":
        path = tmp_path / "link.md"
        (tmp_path / "real.md").write_text("kept\n")
        path.symlink_to(tmp_path / "real.md")
    before = os.lstat(path)
    answers = str(_scenario_answers(tmp_path))  # a whole plan: the output would be written
    for force in ([], ["--force"]):
        cli("start", "--answers", answers, "--output", str(path), *force, code=2)
    after = os.lstat(path)
    assert stat.S_IFMT(before.st_mode) == stat.S_IFMT(after.st_mode)
    if target == "link":
        assert (tmp_path / "real.md").read_text() == "kept\n"


def test_output_dash_is_standard_output(cli, tmp_path: Path, monkeypatch) -> None:
    answers = _scenario_answers(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = cli("start", "--answers", str(answers), "--output", "-", "--format", "markdown").stdout
    assert out.startswith("# Modern slavery: case summary") and not (tmp_path / "-").exists()


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_a_chosen_data_folder_is_never_chmodded(tmp_path: Path, monkeypatch) -> None:
    team = tmp_path / "team"
    team.mkdir(mode=0o755)
    os.chmod(team, 0o755)
    monkeypatch.setenv(store.DIR_ENV, str(team))
    store.save(store.new("identification", "f" * 16))
    assert stat.S_IMODE(team.stat().st_mode) == 0o755
    own = team / store.SUBFOLDER
    assert stat.S_IMODE(own.stat().st_mode) == 0o700


def test_delete_all_deletes_only_its_own_files(cli, data_dir: Path) -> None:
    saved = store.new("identification", "f" * 16)
    store.save(saved)
    (data_dir / "team-notes.json").write_text("{}")
    (data_dir / "x.json").mkdir()
    (data_dir / f".{saved.id}.json.abcd.tmp").write_text("{}")
    assert "Deleted 1 saved visit(s)" in cli("sessions", "--delete-all").stdout
    assert sorted(p.name for p in data_dir.iterdir()) == ["team-notes.json", "x.json"]
    cli("sessions")  # a folder named x.json is no traceback


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="giving a file to another user needs root")
def test_a_visit_planted_by_another_user_is_not_offered(data_dir: Path) -> None:
    saved = store.new("identification", "f" * 16)
    store.save(saved)
    os.chown(data_dir / f"{saved.id}.json", 12345, 12345)
    assert store.all_saved() == []


# --- Item 8: impact --git-ref ----------------------------------------------------------------


@pytest.fixture()
def git_pack(tmp_path: Path) -> tuple[list[str], Path]:
    """The tiny pack as a git repository with one commit: the git command, and the pack."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tiny_pack(tmp_path)
    git = ["git", "-C", str(root.parent), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    return git, root


def test_a_git_ref_cannot_be_an_option(cli, git_pack: tuple[list[str], Path],
                                       tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("kept\n")
    cli("impact", f"--git-ref=--output={victim}", str(git_pack[1]), code=2)
    assert victim.read_text() == "kept\n"


def test_a_ref_holding_a_link_is_refused(cli, git_pack: tuple[list[str], Path]) -> None:
    git, root = git_pack
    (root / "evil.yaml").symlink_to("/etc/passwd")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "link"], check=True)
    (root / "evil.yaml").unlink()
    result = cli("impact", "--git-ref", "HEAD", str(root), code=2)
    assert "link" in result.stderr and "root:" not in result.stdout + result.stderr


# --- Item 10: streams, encodings, long paths, environment values -----------------------------


def test_a_broken_pipe_is_quiet_and_never_exit_1() -> None:
    for args in (["--version"], ["--help"], ["list"], ["lint", "--list-rules"],
                 ["show", "identification"]):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before the first byte (like `| true`)
        result = subprocess.run([EXE, *args], stdout=write, stderr=subprocess.PIPE, text=True,
                                timeout=30)
        os.close(write)
        assert result.returncode == 141 and result.stderr == "", (args, result)


def test_a_closed_or_full_stdout_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    closed = subprocess.run([EXE, "list"], stdout=None, stderr=subprocess.PIPE, text=True,
                            timeout=30, preexec_fn=lambda: os.close(1))
    assert closed.returncode == 0 and "Traceback" not in closed.stderr
    if Path("/dev/full").exists():  # lint's report to a full disk (of a small pack: the same report)
        with open("/dev/full", "w") as full:
            result = subprocess.run([EXE, "lint", str(tiny_pack(tmp_path))], stdout=full,
                                    stderr=subprocess.PIPE, text=True, timeout=60)
        assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["start"], ["start", "--plain"], ["resume"],
                                     ["walk", "child-age-unsure", "--pause"]])
def test_a_closed_stdin_is_exit_2(command: list[str]) -> None:
    result = run(*command, stdin=None, preexec_fn=lambda: os.close(0))
    assert result.returncode in (0, 2)
    assert result.returncode == 2 or command[0] == "walk"  # a walk simply stops


def test_a_console_that_cannot_show_every_character(tmp_path: Path) -> None:
    """A report that holds characters cp1252 has no place for (a small pack whose problems
    quote them: lint's output does not depend on the pack's size), and the worked scenarios."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    root = tiny_pack(tmp_path)
    assert run("lint", str(root), env=env, timeout=60).returncode == 0
    edit(root / "visit.yaml", "fact: gender", "fact: gender_\u2192_\u0101")
    result = run("lint", str(root), env=env, timeout=60)
    assert result.returncode == 1 and "gender_" in result.stdout
    assert run("test", env=env, timeout=60).returncode == 0


def test_long_paths_and_unwritable_folders(cli, tmp_path: Path) -> None:
    long = str(tmp_path / ("x" * 300))
    cli("start", "--answers", long, code=2)
    cli("start", "--answers", "-", "--output", long + ".md", stdin=ADULT, code=2)
    cli("lint", long, code=2)
    blocker = tmp_path / "file"
    blocker.write_text("")
    cli("docs", "--write", str(blocker / "pages"), code=2)
    cli("schema", "--write", str(blocker / "schema"), code=2)


def test_bad_environment_values_and_empty_pathway(cli, monkeypatch) -> None:
    for days in ("99999999999", "-3", "seven", "٣"):
        monkeypatch.setenv(store.DAYS_ENV, days)
        assert store.DAYS_ENV in cli("sessions", code=2).stderr
    monkeypatch.delenv(store.DAYS_ENV)
    cli("start", "--pathway", "", "--answers", "-", stdin=ADULT, code=2)


def test_a_saved_timestamp_without_a_time_zone(cli, data_dir: Path) -> None:
    saved = store.new("identification", "f" * 16)
    store.save(saved)
    path = data_dir / f"{saved.id}.json"
    text = path.read_text()
    naive = saved.updated.replace(tzinfo=None).isoformat()
    path.write_text(text.replace(saved.updated.isoformat(), naive))
    assert saved.id in cli("sessions").stdout


def test_a_crash_is_never_exit_1_and_shows_no_data(cli, monkeypatch) -> None:
    def broken(**_: object) -> int:
        raise ValueError("under_18=yes and other answers")

    monkeypatch.setattr(visits, "sessions", broken)
    result = cli("sessions", code=70)
    assert "internal error" in result.stderr and "under_18" not in result.stderr


# --- Item 10: lint never passes what it did not read, nor prints control characters ----------


def test_lint_names_the_files_it_does_not_read(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    (root / "extra.yml").write_text("id: extra\n")
    result = cli("lint", str(root / "extra.yml"), code=0)
    assert "file-skipped" in result.stdout and "extra.yml" in result.stdout
    cli("lint", "--strict", str(root / "extra.yml"), code=1)


def test_control_characters_cannot_forge_lint_lines(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    path = root / "visit.yaml"
    edit(path, "title: ", 'title: "\\e[2J\\nfake.yaml:1:1: error x" #')
    out = cli("lint", str(root), code=1).stdout
    assert "\x1b" not in out and "fake.yaml" not in out
    lines = out.splitlines()  # the refusal, and pack-not-checked: no line is forged
    assert [line.split(":")[0] for line in lines] == [str(root), str(path)]
    for fmt in ("github", "json", "sarif"):
        assert "\x1b" not in cli("lint", str(root), "--format", fmt, code=1).stdout


@pytest.mark.parametrize("written", ["\u202e", "\u200f", "\u2066"])
def test_a_control_character_written_as_itself_is_refused_too(written: str, tmp_path: Path) -> None:
    """Not only escapes: a bidirectional override typed into plain text, which the
    YAML library reads as printable, is refused with its line and code point."""
    from ms_navigator import yamlread

    text = f"id: visit\ntitle: Safe {written}txet\n"
    with pytest.raises(yamlread.YamlError) as refused:
        yamlread.parse("visit.yaml", text)
    assert refused.value.problem.rule == "encoding" and refused.value.problem.line == 2
    assert f"U+{ord(written):04X}" in refused.value.problem.message


def test_control_characters_in_a_file_name_stay_on_one_line() -> None:
    from ms_navigator.problems import Level, Problem

    line = str(Problem("a\nb\x1b.yaml", 1, 1, "schema", Level.ERROR, "m\u202e"))
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
