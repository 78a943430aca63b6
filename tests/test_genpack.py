"""The benchmark's synthetic packs (benchmarks/genpack.py) are what a policy lead's pack is:
clean, so that `lint` at scale is timed doing what it does in a pack's CI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from benchmarks.genpack import twin, write_pack

from ms_navigator import lint, loader, safety
from ms_navigator.problems import Level


def test_a_synthetic_pack_lints_without_errors_and_keeps_the_shipped_shape(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    assert write_pack(root, 300) == 300
    errors = [p for p in lint.lint_pack(root, date(2026, 12, 1)) if p.level is Level.ERROR]
    assert errors == []
    pack, shipped = loader.load_pack_or_raise(root), loader.load_pack_or_raise()
    asked = {n.fact for p in pack.pathways.values() for n in p.nodes if n.type == "question"}
    # every fact the safety rules read is asked through its twin, with the same values
    for fact in safety.CONTRACT_VALUES:
        assert fact not in asked and twin(fact) in asked
        assert pack.facts[twin(fact)].allowed() == shipped.facts[fact].allowed()
    assert len(asked) == len(shipped.facts)
