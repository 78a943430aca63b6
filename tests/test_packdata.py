"""The shipped pack's data file: what the YAML gives, used only while the YAML is unchanged.

`start` and the engine's other commands build the shipped pack from `shipped_pack.json` in
the package (no parsing, no validation) when the SHA-256 of the YAML files is the one it
records; anything else is loaded and checked in full. Nothing is written at run time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ms_navigator import loader, model, packdata, writepack
from ms_navigator.errors import PackError
from tests.helpers import edit, tiny_pack

TINY_ADULT = "immediate_danger: 'no'\nunder_18: 'no'\nnrm_status: not_referred\ngender: male\n"
"""Answers to every question of the tiny pack: an adult not yet referred, in no danger."""


@pytest.fixture()
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the tiny pack standing in for the shipped one, with its own data file: how the
    data file is made, checked and refused does not depend on the shipped content."""
    root = tiny_pack(tmp_path)
    monkeypatch.setattr(loader, "shipped_pack_dir", lambda: root)
    data = root.parent / "shipped_pack.json"
    data.write_text(writepack.generate(root), encoding="utf-8")
    monkeypatch.setattr(packdata, "DATA", data)
    return root


def _dumped(pack: model.Pack) -> dict[str, object]:
    """Every item of a pack as data, with only the fields that were set (as in the file)."""
    found: dict[str, object] = {
        name: [(type(item).__name__, item.model_dump(mode="json", exclude_unset=True))
               for item in getattr(pack, name).values()] for name in packdata._ITEMS}
    return {**found, "policy": pack.policy.model_dump(mode="json", exclude_unset=True)}


def test_the_data_file_is_what_the_shipped_yaml_gives() -> None:
    committed = packdata.DATA.read_text(encoding="utf-8")
    assert committed == writepack.generate(loader.shipped_pack_dir()), (
        "src/ms_navigator/shipped_pack.json is out of date: python -m ms_navigator.writepack")


def test_the_pack_from_the_data_equals_the_pack_checked_in_full() -> None:
    full = loader.load_pack(loader.shipped_pack_dir()).pack
    fast = packdata.read(loader.shipped_pack_dir())
    assert fast is not None and full is not None
    assert fast == full and fast.files == full.files and fast.policy == full.policy
    assert _dumped(fast) == _dumped(full)  # same classes, same fields set, down to the leaves
    question = full.pathways["identification"].nodes[0]
    assert type(fast.pathways["identification"].nodes[0]) is type(question)


def test_an_edited_file_is_loaded_and_checked_in_full(cli, shipped: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def full_load_refused(directory: Path | None = None) -> loader.LoadResult:
        raise AssertionError("loaded in full although nothing changed")

    real_load = loader.load_pack
    monkeypatch.setattr(loader, "load_pack", full_load_refused)
    assert loader.load_pack_or_raise().pathways  # unchanged: from the data
    monkeypatch.setattr(loader, "load_pack", real_load)
    edit(shipped / "visit.yaml", "next: q_age", "next: s_nowhere")
    with pytest.raises(PackError, match="s_nowhere"):
        loader.load_pack_or_raise()
    result = cli("start", "--answers", "-", "--format", "json", stdin=TINY_ADULT, code=2)
    assert "cannot run" in result.stderr and "s_nowhere" in result.stderr


def test_an_edit_that_still_loads_gives_the_new_advice(cli, shipped: Path) -> None:
    def steps() -> list[str]:
        data = json.loads(cli("start", "--answers", "-", "--format", "json", stdin=TINY_ADULT).stdout)
        return [s["id"] for s in data["steps"]]

    assert "confirm_nrm_status" not in steps()
    edit(shipped / "visit.yaml", "steps: [refer]", "steps: [refer, confirm_nrm_status]")
    assert "confirm_nrm_status" in steps()


def test_the_hash_covers_every_file_the_loader_reads(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    before = packdata.digest(root)
    shutil.copy(root / "visit.yaml", root / "zz-copy.yaml")
    with_copy = packdata.digest(root)
    (root / "directory" / "invariants.yaml").unlink()
    without_invariants = packdata.digest(root)
    edit(root / "directory" / "steps.yaml", "text:", "text: ")
    assert len({before, with_copy, without_invariants, packdata.digest(root)}) == 4


@pytest.mark.parametrize("damage", ["", "garbage", '{"sha256": 1}', "[]", "cut"])
def test_a_damaged_data_file_means_a_full_load(shipped: Path, damage: str) -> None:
    good = packdata.DATA.read_text(encoding="utf-8")
    packdata.DATA.write_text(good[:len(good) // 2] if damage == "cut" else damage)
    assert packdata.read(shipped) is None
    assert loader.load_pack_or_raise() == loader.load_pack(shipped).pack


def test_data_that_does_not_match_its_hash_is_never_used(shipped: Path) -> None:
    """A data file changed after it was made (a child's referral taken out) is ignored unless
    its hash is the hash of the YAML it stands for: what is used is what the YAML says."""
    data = json.loads(packdata.DATA.read_text(encoding="utf-8"))
    nodes = [n for p in data["pathways"] for n in p["nodes"] if "refer_nrm" in n.get("steps", [])]
    assert nodes
    for node in nodes:
        node["steps"].remove("refer_nrm")
    packdata.DATA.write_text(json.dumps({**data, "sha256": "0" * 64}))
    pack = loader.load_pack_or_raise()
    assert pack == loader.load_pack(shipped).pack


def test_a_pack_given_by_path_is_always_checked_in_full(shipped: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packdata, "read", lambda root: pytest.fail("read the data file"))
    assert loader.load_pack_or_raise(shipped).pathways


PROBE = """
import os, sys
from ms_navigator import engine, loader, model
pack = loader.load_pack_or_raise()
built = [name for name in ("Pathway", "FactsFile", "StepsFile", "QuestionNode")
         if getattr(model, name).__pydantic_complete__]
print(engine.walk(pack, engine.start(pack)).pending.fact, built)
"""


def test_start_builds_no_validator_and_writes_nothing(tmp_path: Path) -> None:
    """The gain: a fresh process gets the shipped pack without building any of the validators
    a full load needs, and writes no file (HOME and the XDG folders are empty and stay so)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local")}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True, env=env)
    assert done.stdout.strip() == "immediate_danger []"
    assert list(home.iterdir()) == []


def test_writing_the_data_of_a_pack_with_problems_says_so_without_a_traceback(
        shipped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = packdata.DATA.read_bytes()
    edit(shipped / "visit.yaml", "next: q_age\n", "next: q_nowhere\n")
    assert writepack.main() == 1
    assert "has problems; run 'ms-navigator lint' on it" in capsys.readouterr().err
    assert packdata.DATA.read_bytes() == before  # the data file is left as it was
