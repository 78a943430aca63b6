"""The bound on the exhaustive checks: 2^N states are refused at their question, never a hang.

The adversarial pack (benchmarks/genpack.py) asks N yes/no questions in a chain and reads all
the answers in one branch at the end, so every combination is a state of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.genpack import write_chain

from ms_navigator import engine, explore, invariants
from ms_navigator.errors import NavigatorError
from tests.helpers import line_of, session_with, tiny_pack

QUESTIONS = 11
"""2^10 = 1,024 states wait at the last question: just over the default limit of 1,000."""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_chain(tmp_path_factory.mktemp("chain") / "pack", QUESTIONS)


def test_lint_refuses_the_chain_at_the_question_where_states_pile_up(cli, chain: Path) -> None:
    result = cli("lint", str(chain.parent), "--format", "json", code=1)
    [found] = [p for p in json.loads(result.stdout) if p["rule"] == "state-limit"]
    last = f"q{QUESTIONS - 1}"
    assert Path(found["path"]).name == "chain.yaml"
    assert found["line"] == line_of(chain, f"- id: {last}")
    assert f"question '{last}' of pathway 'chain'" in found["message"]
    assert "chain_0" in found["message"] and "--max-states" in found["message"]
    assert not [p for p in json.loads(result.stdout) if p["rule"] == "invariant-vacuous"]
    text = cli("lint", str(chain.parent), code=1)
    assert "checked on every path" not in text.stderr  # nothing is claimed that was not done


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_limit_can_be_raised(cli, chain: Path, how: str,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["lint", str(chain.parent)]
    if how == "option":
        args += ["--max-states", "2000"]
    else:
        monkeypatch.setenv(explore.MAX_STATES_ENV, "2000")
    result = cli(*args)
    assert "state-limit" not in result.stdout
    assert f"{2 ** QUESTIONS:,} paths through" in result.stderr


def test_impact_refuses_the_chain_with_its_file(cli, chain: Path) -> None:
    result = cli("impact", str(chain.parent), str(chain.parent), code=2)
    assert "chain.yaml" in result.stderr and f"question 'q{QUESTIONS - 1}'" in result.stderr
    assert "Traceback" not in result.stderr
    out = cli("impact", str(chain.parent), str(chain.parent), "--max-states", "2000").stdout
    assert out.startswith(f"No change: all {2 ** QUESTIONS:,} outcomes")


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1e9", "9" * 13, ""])
def test_a_bad_limit_is_bad_usage(cli, chain: Path, value: str) -> None:
    if value == "":
        assert explore.max_states(None, {explore.MAX_STATES_ENV: ""}) == explore.MAX_STATES
        return
    result = cli("lint", str(chain.parent), "--max-states", value, code=2)
    assert "--max-states must be a whole number" in result.stderr
    with pytest.raises(NavigatorError, match=explore.MAX_STATES_ENV):
        explore.max_states(None, {explore.MAX_STATES_ENV: value})


def test_the_shipped_pack_is_well_inside_the_limit(pack) -> None:
    """Not a timing: the most states the shipped pack needs at one question, against the limit
    (if this grows close to it, look at what the new content reads)."""
    from collections import Counter

    endings = explore.Endings(pack)
    for start in pack.starts:
        endings(start)
    most = max(Counter(state[:2] for state in endings.edges).values())
    assert most * 2 < explore.MAX_STATES


def test_an_invariant_that_reads_every_answer_together_is_refused_too(cli, tmp_path: Path) -> None:
    """The pathway reads each answer nowhere, but one invariant's `when` keeps every
    combination of them open until the last question: each invariant is followed over the
    states on its own, and its own combinations are bounded like the pathway's."""
    chain = write_chain(tmp_path / "pack", QUESTIONS)
    last = QUESTIONS - 1
    text = chain.read_text()
    branch = next(line for line in text.splitlines() if line.startswith("      - when: {all: ["))
    chain.write_text(text.replace(branch, "      - when: {fact: chain_0, in: ['no']}"))
    pairs = ", ".join(f"{{all: [{{fact: chain_{i}, in: ['yes']}}, {{fact: chain_{last}, in: ['yes']}}]}}"
                      for i in range(last))
    invariants_file = chain.parent / "directory" / "invariants.yaml"
    invariants_file.write_text(invariants_file.read_text() + (
        "\n  - id: chain-read-together\n    description: Synthetic.\n    source: synthetic\n"
        f"    when: {{any: [{pairs}]}}\n    require:\n      steps: [offer_skills_support]\n"))
    result = cli("lint", str(chain.parent), "--format", "json", code=1)
    [found] = [p for p in json.loads(result.stdout) if p["rule"] == "state-limit"]
    assert Path(found["path"]).name == "chain.yaml"
    assert found["line"] == line_of(chain, f"- id: q{last}")
    assert "invariant 'chain-read-together'" in found["message"]
    assert "chain_0" in found["message"] and "--max-states" in found["message"]
    raised = json.loads(cli("lint", str(chain.parent), "--max-states", "2000", "--format", "json",
                            code=1).stdout)
    assert not [p for p in raised if p["rule"] == "state-limit"]
    # searched to the end: it breaks where chain_0 is yes and not every answer is
    assert [p for p in raised if p["rule"] == "invariant-broken" and "chain-read-together" in p["message"]]


def test_plan_lengths_past_their_bound_are_not_counted_and_say_so(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting the plans' lengths has a bound of its own (partial plans, `PLANS_PER_STATE`
    for each state allowed): past it lint still checks every invariant on every path and
    says plainly that the lengths were not counted; with a budget that needs them, it is a
    state-limit error, not a pass."""
    pack = tiny_pack(tmp_path)
    counted = cli("lint", str(pack))
    assert "plan length over every path" in counted.stderr
    monkeypatch.setattr(invariants, "PLANS_PER_STATE", 0)
    result = cli("lint", str(pack))  # still clean: nothing else was left unchecked
    assert "invariants checked on every path" in result.stderr
    assert "plan length over every path" not in result.stderr
    assert "plan lengths not counted: more than 0 partial plans" in result.stderr
    assert "--max-states" in result.stderr
    log = json.loads(cli("lint", str(pack), "--format", "sarif").stdout)
    coverage = log["runs"][0]["properties"]["coverage"]
    assert "planLength" not in coverage[0] and "partial plans" in coverage[0]["planLengthNotCounted"]
    (pack / "directory" / "invariants.yaml").write_text(
        "invariants:\n  - id: short-plan\n    description: A short plan.\n    source: test\n"
        "    require:\n      max_steps: 10\n")
    found = json.loads(cli("lint", str(pack), "--format", "json", code=1).stdout)
    [problem] = [p for p in found if p["rule"] == "state-limit"]
    assert "budgets (max_steps, max_words)" in problem["message"]
    assert "--max-states" in problem["message"]


def test_an_answer_already_given_leaves_out_what_only_its_other_answers_reach(pack) -> None:
    """An adult's walk in the Housing pathway goes on to Skills and Employment, whose age
    question would hand a child over to Pre-NRM: with the age known, what only that route
    reads (the question on criminal exploitation) no longer keeps the adult's walks apart.
    A fact a step ahead can still change (`assume`) is never taken as settled."""
    from ms_navigator import ahead

    walk = engine.walk(pack, session_with(pack, {
        "immediate_danger": "no", "under_18": "no", "organisation": "general",
        "care_support_needs": "no", "nrm_status": "positive_cg", "sexual_exploitation": "no",
        "housing_situation": "homeless", "has_capacity": "yes"}))
    assert walk.pending is not None and walk.pending.node == "q_housing_eligibility"
    places = ahead.Places(pack)
    where = (walk.pending.pathway, walk.pending.node, walk.returns)
    assert "criminal_exploitation" in places.ahead(*where).reads  # every route, whatever the age
    _, seen = places.future(walk)
    assert "criminal_exploitation" not in seen.reads
    assert places.overridable == {"nrm_status"}  # refer_nrm: referred, awaiting the RG decision
    # only answers that alone hand over to another pathway are followed past their question
    assert "under_18" in places.handing_over and "organisation" in places.handing_over
    assert "criminal_exploitation" not in places.handing_over  # both answers end the same way


def test_a_pack_whose_answers_never_hand_over_alone_follows_none(tmp_path: Path) -> None:
    """The synthetic packs' questions all go on to the same places: nothing is followed, so
    what lint does per state there is what it did before answers were followed."""
    from benchmarks import genpack

    from ms_navigator import ahead, loader

    assert genpack.main([str(tmp_path / "synthetic"), "--nodes", "200"]) == 0
    pack = loader.load_pack_or_raise(tmp_path / "synthetic")
    assert ahead.Places(pack).handing_over == frozenset()
