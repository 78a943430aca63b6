"""What the benchmarks feed the tool still fits the shipped pathways: a question added, or a
pathway that cannot be started on its own (the preamble), would otherwise stop
`benchmarks/run.py` part-way, where no test looks."""

from __future__ import annotations

import yaml
from benchmarks import inprocess
from benchmarks.run import ANSWERS

from tests.helpers import plan_for


def test_the_benchmark_answers_make_a_full_plan_with_the_duty_to_notify(pack) -> None:
    plan = plan_for(pack, yaml.safe_load(ANSWERS))
    assert "notify_dtn" in plan.step_ids()
    assert set(yaml.safe_load(ANSWERS)) == set(plan.facts)  # every answer is used


def test_the_transitions_timed_start_where_a_visit_can(pack) -> None:
    pairs = inprocess._transitions(pack)
    starts = {session.start for session, _ in pairs}
    assert starts <= set(pack.starts) and pack.policy.preamble not in starts and pairs
