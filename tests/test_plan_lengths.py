"""The plan lengths that `lint` reports, counted over the search's states, are those of walking
every path one by one: here on a pack whose later nodes add again steps that some paths already
hold, and steps that replace or word others, which is what the counting shares between paths
(`invariants._Lengths`: a step every path below adds is not kept apart)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ms_navigator import explore, invariants, loader
from tests.helpers import edit, tiny_pack


def _distribution(pack_dir: Path) -> tuple[dict[int, int], dict[int, int]]:
    """Return how many paths end in a plan of each number of steps and of words, path by path."""
    pack = loader.load_pack_or_raise(pack_dir)
    steps: Counter[int] = Counter()
    words: Counter[int] = Counter()
    for start in pack.starts:
        for outcome in explore.outcomes(pack, start):
            size = invariants.plan_size(outcome.plan)
            steps[size[0]] += 1
            words[size[1]] += 1
    return dict(steps), dict(words)


def test_repeated_replacing_and_worded_steps_are_counted_as_walking_every_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tiny_pack(tmp_path)
    # some answers skip a question whose every answer adds a step (so what every path below a
    # question adds differs from one answer to the next), and every path ends by adding again
    # steps that only some paths hold by then
    edit(root / "visit.yaml", '{value: "no", next: q_status}', '{value: "no", next: s_child}')
    edit(root / "visit.yaml", '{value: "no", next: q_age}', '{value: "no", next: q_status}')
    edit(root / "visit.yaml", "    steps: [refer]\n", "    steps: [refer, confirm_nrm_status, safeguarding_children]\n")
    steps_file = root / "directory" / "steps.yaml"
    # a step with words of its own for some answers, and one that replaces another
    edit(steps_file, "  - id: safeguarding_children\n    summary: Safeguard the child.\n"
         "    text: Safeguard the child.\n",
         "  - id: safeguarding_children\n    summary: Safeguard the child.\n"
         "    text: Safeguard the child.\n    variants:\n"
         "      - when: {fact: nrm_status, in: [unknown]}\n"
         "        text: Safeguard the child, and find out at once whether they are in the NRM.\n")
    edit(steps_file, "  - id: refer\n    summary: Refer the person.\n",
         "  - id: refer\n    summary: Refer the person.\n    replaces: [call_999]\n")
    steps, words = _distribution(root)
    assert len(steps) > 1 and len(words) > 1  # the plans differ, so the comparison means something
    counted: list[tuple[dict[int, int], dict[int, int]]] = []
    of = invariants.Lengths.of.__func__  # type: ignore[attr-defined]

    def recording(cls: type[invariants.Lengths], steps_: dict[int, int], words_: dict[int, int]):  # type: ignore[no-untyped-def]
        counted.append((dict(steps_), dict(words_)))  # the whole distribution, not its summary
        return of(cls, steps_, words_)

    monkeypatch.setattr(invariants.Lengths, "of", classmethod(recording))
    result = invariants.search(loader.load_pack_or_raise(root))
    assert counted == [(steps, words)]
    assert result.paths == sum(steps.values())
