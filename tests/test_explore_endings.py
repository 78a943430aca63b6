"""`explore.Endings`: every path as ids, read off merged states, equals walking every path."""

from __future__ import annotations

from ms_navigator import explore
from tests.helpers import every_path


def test_endings_equal_the_outcomes_of_every_path_of_every_pathway(pack) -> None:
    endings = explore.Endings(pack)
    for start in pack.starts:
        expected = [(o.answers, tuple(o.plan.step_ids()), tuple(o.plan.service_ids()))
                    for o in every_path(pack, start)]
        assert [(e.answers, e.steps, e.services) for e in endings(start)] == expected, start
    # states shared by all starts: far fewer than paths (57,166; the preamble run before every
    # start adds states of its own)
    assert len(endings.edges) < 1500
