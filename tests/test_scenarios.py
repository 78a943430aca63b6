"""Every shipped worked scenario passes, and a broken expectation is reported."""

from __future__ import annotations

import pytest

from ms_navigator import scenarios

SHIPPED, PROBLEMS = scenarios.load([scenarios.shipped_dir()])


def test_shipped_scenarios_load() -> None:
    assert PROBLEMS == []
    assert len(SHIPPED) >= 2


@pytest.mark.parametrize(("scenario", "path"), SHIPPED, ids=[s.id for s, _ in SHIPPED])
def test_shipped_scenario_passes(pack, scenario: scenarios.Scenario, path: str) -> None:
    result = scenarios.run(pack, scenario, path)
    assert result.passed, "\n".join(map(str, result.failures))


def test_a_wrong_expectation_fails_with_a_clear_message(pack) -> None:
    scenario, path = SHIPPED[0]
    wrong = scenario.model_copy(update={"expect": scenarios.Expect(steps=["refer_nrm"], no_steps=["notify_dtn"])})
    result = scenarios.run(pack, wrong, path)
    assert not result.passed
    assert any("expected step refer_nrm" in f.message for f in result.failures)
