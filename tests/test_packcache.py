"""The cache of checked packs: it saves `start` the full load, and never hides a problem.

Every test has its own empty cache folder (conftest's `cache_dir`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ms_navigator import loader, packcache
from tests.test_cli import ADULT_DTN
from tests.test_loader import edit

posix_only = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX")


@pytest.fixture()
def shipped(pack_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the pack, standing in for the shipped one (the only one cached)."""
    monkeypatch.setattr(loader, "shipped_pack_dir", lambda: pack_copy)
    return pack_copy


def _cache_file(cache_dir: Path) -> Path:
    [found] = cache_dir.glob("*.pickle")
    return found


def _no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(directory: Path | None = None) -> loader.LoadResult:
        raise AssertionError("the pack was loaded in full, not taken from the cache")

    monkeypatch.setattr(loader, "load_pack", refuse)


def _forge(root: Path, pack: object) -> None:
    """Put `pack` in the cache under the key of `root` as it is now (what a stale or tampered
    cache would look like if the key did not protect it)."""
    key = packcache.key(root)
    assert key is not None
    packcache.write(root, key, pack)  # type: ignore[arg-type]


def test_a_clean_pack_is_cached_and_comes_back_equal(shipped: Path, cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = loader.load_pack_or_raise()
    assert _cache_file(cache_dir).exists()
    _no_full_load(monkeypatch)
    again = loader.load_pack_or_raise()
    assert again == first and again is not first
    assert again.files == first.files and sorted(again.pathways) == sorted(first.pathways)


def test_an_edited_file_is_checked_in_full_and_its_problem_reported(
        cli, shipped: Path, cache_dir: Path) -> None:
    cli("start", "--answers", "-", "--format", "json", stdin=ADULT_DTN)
    cached = _cache_file(cache_dir).read_bytes()
    edit(shipped / "nrm-pre.yaml", "next: s_notify", "next: s_nowhere")
    result = cli("start", "--answers", "-", "--format", "json", stdin=ADULT_DTN, code=2)
    assert "cannot run" in result.stderr and "s_nowhere" in result.stderr
    assert _cache_file(cache_dir).read_bytes() == cached  # a broken pack is never cached


def test_a_new_pathway_file_or_a_removed_optional_file_changes_the_key(pack_copy: Path) -> None:
    before = packcache.key(pack_copy)
    shutil.copy(pack_copy / "nrm-pre.yaml", pack_copy / "zz-copy.yaml")
    with_copy = packcache.key(pack_copy)
    (pack_copy / "directory" / "invariants.yaml").unlink()
    assert len({before, with_copy, packcache.key(pack_copy)}) == 3


def test_edited_code_changes_the_key(pack_copy: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "code"
    shutil.copytree(packcache.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(packcache, "CODE", code)
    before = packcache.key(pack_copy)
    assert packcache.key(pack_copy) == before
    with (code / "integrity.py").open("a", encoding="utf-8") as handle:
        handle.write("# a changed check\n")
    assert packcache.key(pack_copy) != before


def test_a_file_changed_during_the_load_is_not_cached(shipped: Path, cache_dir: Path) -> None:
    key = packcache.key(shipped)
    assert key is not None
    pack = loader.load_pack_or_raise()
    for cached in cache_dir.glob("*.pickle"):
        cached.unlink()
    edit(shipped / "nrm-pre.yaml", "next: s_notify", "next: s_nowhere")
    packcache.write(shipped, key, pack)  # the key taken before the edit
    assert not list(cache_dir.glob("*.pickle"))


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_corrupt_cache_file_is_ignored_and_replaced(shipped: Path, cache_dir: Path,
                                                      damage: bytes | None) -> None:
    first = loader.load_pack_or_raise()
    target = _cache_file(cache_dir)
    good = target.read_bytes()
    key_line = good[: good.index(b"\n") + 1]
    # None: the right key, then a pickle cut short
    target.write_bytes(key_line + good[len(key_line):][:200] if damage is None else damage)
    assert loader.load_pack_or_raise() == first
    assert target.read_bytes() == good


@posix_only
def test_the_cache_is_owner_only(shipped: Path, cache_dir: Path) -> None:
    loader.load_pack_or_raise()
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(_cache_file(cache_dir).stat().st_mode) == 0o600
    assert [p.name for p in cache_dir.iterdir()] == [_cache_file(cache_dir).name]  # no temp file


@posix_only
def test_a_cache_file_others_can_read_or_write_is_not_trusted(shipped: Path,
                                                              cache_dir: Path) -> None:
    real = loader.load_pack_or_raise()
    forged = dataclasses.replace(real, pathways={})
    _forge(shipped, forged)
    assert loader.load_pack_or_raise() == forged  # owner-only: trusted, as designed
    _forge(shipped, forged)
    _cache_file(cache_dir).chmod(0o644)
    assert loader.load_pack_or_raise() == real


def test_lint_never_uses_the_cache(cli, shipped: Path) -> None:
    clean = loader.load_pack_or_raise()
    edit(shipped / "nrm-pre.yaml", "next: s_notify", "next: s_nowhere")
    with pytest.raises(Exception, match="s_nowhere"):
        loader.load_pack_or_raise()
    _forge(shipped, clean)  # a clean pack under the broken files' key
    assert loader.load_pack_or_raise().pathways  # the forged entry is there to find
    result = cli("lint", str(shipped), code=1)
    assert "s_nowhere" in result.stdout


def test_no_cache_turns_it_off(shipped: Path, cache_dir: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(packcache.OFF_ENV, "1")
    real = loader.load_pack_or_raise()
    assert not cache_dir.exists()
    monkeypatch.delenv(packcache.OFF_ENV)
    forged = dataclasses.replace(real, pathways={})
    _forge(shipped, forged)
    monkeypatch.setenv(packcache.OFF_ENV, "1")
    assert loader.load_pack_or_raise() == real
    monkeypatch.setenv(packcache.OFF_ENV, "0")
    assert loader.load_pack_or_raise() == forged


def test_only_the_shipped_pack_is_cached(pack_copy: Path, cache_dir: Path) -> None:
    assert loader.load_pack_or_raise(pack_copy).pathways
    assert not cache_dir.exists()
    loader.load_pack_or_raise()
    assert _cache_file(cache_dir).exists()


def test_the_cache_folder_follows_xdg_by_default(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("platformdirs decides there")
    monkeypatch.delenv(packcache.DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert packcache.folder() == tmp_path / "ms-navigator"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the spec says: ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert packcache.folder() == tmp_path / "home" / ".cache" / "ms-navigator"


PROBE = """
from ms_navigator import engine, loader, model
pack = loader.load_pack_or_raise()
built = [name for name in ("Pathway", "FactsFile", "StepsFile", "QuestionNode")
         if getattr(model, name).__pydantic_complete__]
print(engine.walk(pack, engine.start(pack)).pending.fact, built)
"""


def test_a_cached_pack_needs_no_validator(cache_dir: Path) -> None:
    """The cache's gain: unpickling builds none of the validators that a full load needs."""
    def probe() -> str:
        return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                              check=True, env={**os.environ}).stdout.strip()

    assert probe() == "immediate_danger ['Pathway', 'FactsFile', 'StepsFile']"
    assert probe() == "immediate_danger []"
