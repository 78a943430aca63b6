"""The invariant search forgets the states of pathways that no start still to be searched can
reach (`invariants._Forgetting`), so that a pack of many separate pathways is held one start
at a time: forgetting must never change what the search finds, and must never forget a state
that is met again."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import genpack

from ms_navigator import invariants, loader, model

SEARCH = invariants.search
"""The search itself: the suite's fixture that keeps one result per pack (`conftest.py`)
replaces `invariants.search` only once the tests run, after this module is imported."""


def _watched(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Record what the search forgets, every state explored after its pathway was forgotten
    (there must be none), and the most states held at once."""
    seen: dict[str, object] = {"forgotten": set(), "late": [], "held": 0, "sweeps": 0}
    forget, explore = invariants._Graph.forget, invariants._Graph.explore

    def forgetting(graph: invariants._Graph, pathways: set[object]) -> None:
        seen["forgotten"] |= set(pathways)  # type: ignore[operator]
        seen["sweeps"] += 1  # type: ignore[operator]
        forget(graph, pathways)

    def exploring(graph: invariants._Graph, first: object) -> object:
        before = set(graph.edges)
        root = explore(graph, first)  # type: ignore[arg-type]
        late = [s for s in graph.edges if s not in before and s[0] in seen["forgotten"]]  # type: ignore[operator]
        seen["late"] += late  # type: ignore[operator]
        seen["held"] = max(seen["held"], len(graph.edges))  # type: ignore[call-overload]
        return root

    monkeypatch.setattr(invariants._Graph, "forget", forgetting)
    monkeypatch.setattr(invariants._Graph, "explore", exploring)
    return seen


@pytest.fixture(scope="module")
def separate(tmp_path_factory: pytest.TempPathFactory) -> model.Pack:
    """A synthetic pack of 600 nodes: six pathways that never hand over to one another."""
    root = tmp_path_factory.mktemp("separate") / "pack"
    assert genpack.main([str(root), "--nodes", "600"]) == 0
    return loader.load_pack_or_raise(root)


def test_a_pack_of_separate_pathways_is_held_one_start_at_a_time(
        separate: model.Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _watched(monkeypatch)
    found = SEARCH(separate)
    assert len(separate.starts) == 6 and found.states > 0
    assert seen["late"] == []
    assert seen["sweeps"] == len(separate.starts)  # each start's states are dropped after it
    assert seen["held"] <= found.states // 3  # held at once: one start's states, not all six
    monkeypatch.setattr(invariants._Forgetting, "done", lambda self, index: set())
    assert SEARCH(separate) == found  # the same counterexamples, states, paths and lengths


def test_the_shipped_pack_forgets_only_what_no_later_start_reaches(
        pack: model.Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped pathways hand over to each other: what is forgotten after a start must
    never be met again from a later one, and the result is the same as holding everything."""
    seen = _watched(monkeypatch)
    found = SEARCH(pack)
    assert seen["late"] == []
    monkeypatch.setattr(invariants._Forgetting, "done", lambda self, index: set())
    assert SEARCH(pack) == found


def test_a_pathway_reached_by_a_later_start_is_kept_until_then(tmp_path: Path) -> None:
    """The last start that can reach a pathway is found through every hand-over and the
    preamble every start runs first."""
    shipped = loader.load_pack_or_raise(loader.shipped_pack_dir())
    last = invariants._needed_until(shipped)
    starts = shipped.starts
    assert shipped.policy.preamble is not None
    assert last[shipped.policy.preamble] == len(starts) - 1  # every start runs it
    for index, start in enumerate(starts):
        assert last[start] >= index
    called = {nodes_called for p in shipped.pathways.values() for nodes_called in _calls(p)}
    for pid in called:  # a pathway handed over to lives at least as long as its caller
        callers = [p for p in shipped.pathways.values() if pid in _calls(p)]
        assert all(last[pid] >= last[c.id] for c in callers if c.id in last)


def _calls(pathway: model.Pathway) -> set[str]:
    from ms_navigator import nodes

    return {c for node in pathway.nodes if (c := nodes.calls(node)) is not None}
