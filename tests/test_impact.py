"""`ms-navigator impact`: which answer combinations get different advice after a real edit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ms_navigator import explore, impact, loader


def _drop_msvcc_from_nrm_pre(pack_dir: Path) -> None:
    target = pack_dir / "nrm-pre.yaml"
    text = target.read_text()
    assert "steps: [refer_nrm, msvcc_emergency_support]" in text
    target.write_text(text.replace("steps: [refer_nrm, msvcc_emergency_support]", "steps: [refer_nrm]"))


def test_no_change_between_identical_packs(pack) -> None:
    report = impact.compare(pack, pack)
    assert report.changes == ()
    assert report.render() == f"No change: all {report.total} outcomes give the same steps and services.\n"


def test_a_real_edit_is_reported_for_exactly_the_paths_it_touches(pack, pack_copy: Path) -> None:
    _drop_msvcc_from_nrm_pre(pack_copy)
    new = loader.load_pack_or_raise(pack_copy)
    report = impact.compare(pack, new)
    # Independently: the combinations whose new plan lacks the step the old plan had.
    expected = {(start, o.answers) for start in new.pathways for o in explore.outcomes(pack, start)
                if "msvcc_emergency_support" in o.plan.step_ids()
                and "msvcc_emergency_support" not in _steps(new, start, o.answers)}
    assert expected and {(c.start, c.answers) for c in report.changes} == expected
    assert all(c.differences == ("no longer gets step msvcc_emergency_support",) for c in report.changes)
    assert all(dict(c.answers)["consent_nrm"] == "yes" for c in report.changes)
    assert report.render().startswith(f"{len(expected)} of {report.total} outcomes change:\n- from '")


def _steps(pack, start: str, answers) -> list[str]:  # noqa: ANN001
    from ms_navigator import engine

    return engine.run_scripted(pack, start, dict(answers)).step_ids()


def test_cli_compares_two_folders(cli, pack_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(pack_copy, old)
    _drop_msvcc_from_nrm_pre(pack_copy)
    out = cli("impact", str(old), str(pack_copy)).stdout
    assert " outcomes change:" in out and "no longer gets step msvcc_emergency_support" in out
    assert "Error" in cli("impact", str(old), code=2).stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_cli_compares_with_a_git_ref(cli, pack_copy: Path) -> None:
    repo = pack_copy.parent

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    git("init", "-q")
    git("add", "pathways")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    _drop_msvcc_from_nrm_pre(pack_copy)
    out = cli("impact", "--git-ref", "HEAD", str(pack_copy)).stdout
    assert "no longer gets step msvcc_emergency_support" in out
    assert "not-a-ref" in cli("impact", "--git-ref", "not-a-ref", str(pack_copy), code=2).stderr


def test_git_ref_without_a_pack_folder_is_a_usage_error(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "no pack folder 'pathways'" in cli("impact", "--git-ref", "HEAD", code=2).stderr
