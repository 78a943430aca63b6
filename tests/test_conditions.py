"""The one condition evaluator: true, false, or not yet known, the same for every reader."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from ms_navigator import conditions, model

COND = TypeAdapter(model.Condition)


def cond(data: object) -> model.Condition:
    return COND.validate_python(data)


CHILD = {"fact": "under_18", "in": ["yes", "unsure"]}


@pytest.mark.parametrize(("data", "facts", "open_facts", "unasked", "expected"), [
    (CHILD, {"under_18": "unsure"}, (), False, True),
    (CHILD, {"under_18": "no"}, (), False, False),
    (CHILD, {}, {"under_18"}, False, None),          # may still be asked: not yet known
    (CHILD, {}, (), False, False),                   # never asked: false (invariants)
    (CHILD, {}, (), None, None),                     # never asked, read at a branch: not known
    ({"not": CHILD}, {}, (), False, True),           # "not" of a never-asked fact: true
    ({"not": CHILD}, {}, {"under_18"}, False, None),
    ({"known": "under_18"}, {}, (), None, False),    # whether it is known is known now
    ({"known": "under_18"}, {}, {"under_18"}, False, None),
    ({"all": [{"known": "under_18"}, CHILD]}, {}, (), None, False),  # one false decides all
    ({"any": [CHILD, {"known": "gender"}]}, {"gender": "male"}, (), None, True),  # one true decides any
    ({"any": [CHILD, {"known": "gender"}]}, {}, (), None, None),
    ({"all": [CHILD, {"known": "gender"}]}, {"gender": "male", "under_18": "yes"}, (), None, True),
])
def test_three_values(data: object, facts: dict[str, str], open_facts: object, unasked: bool | None,
                      expected: bool | None) -> None:
    assert conditions.evaluate(cond(data), facts, open_facts, unasked) is expected


def test_what_a_condition_reads() -> None:
    c = cond({"all": [CHILD, {"not": {"known": "gender"}}, {"any": [{"fact": "nrm_status", "in": ["unknown"]}]}]})
    assert conditions.reads(c) == ({"under_18", "nrm_status"}, {"gender"})
    assert conditions.facts_read(c) == {"under_18", "nrm_status", "gender"}
    assert [loc for _, loc in conditions.leaves(c)] == [("all", 0), ("all", 1, "not"), ("all", 2, "any", 0)]
