"""Plans that never contradict themselves: the invariant kinds that say so (`never_together`,
`only_when`, `mentions`, budgets), proved on every path with shortest counterexamples, and
broken on purpose in a copy of the pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ms_navigator import engine, explore, invariants, lint, loader, model, yamlread
from tests.helpers import edit, line_of, searched, shipped, tiny_pack, walked

STRICTER = Path(__file__).parent / "data" / "stricter-invariants.yaml"
TODAY = date(2026, 11, 23)


def stricter() -> dict[str, model.Invariant]:
    """Return the stricter statements of shipped invariants that the content breaks on purpose
    (tests/data/stricter-invariants.yaml)."""
    data, _ = yamlread.read(str(STRICTER), STRICTER.read_bytes())
    return {i.id: i for i in model.InvariantsFile.model_validate(data).invariants}


BUDGETS = [
    model.Invariant.model_validate({
        "id": "nhs-plan-at-most-14-steps", "description": "d", "source": "protocol 4.7",
        "when": {"fact": "organisation", "in": ["nhs"]}, "require": {"max_steps": 14}}),
    model.Invariant.model_validate({
        "id": "plan-at-most-1500-words", "description": "d", "source": "protocol 4.1",
        "require": {"max_words": 1500}}),
    model.Invariant.model_validate({
        "id": "plan-at-most-40-steps", "description": "d", "source": "protocol 4.1",
        "require": {"max_steps": 40, "max_words": 5000}}),
]
"""Budgets: one with a `when`, one broken, one that holds everywhere."""


NEW_KINDS = ("ask-first-responder-only-for-non-first-responders", "housed-or-needing-somewhere-to-stay",
             "status-unknown-or-not-in-nrm", "nhs-charges-one-answer",
             "trading-standards-told-once-whether-first-responder", "one-not-eligible-housing-step",
             "one-intelligence-sharing-step", "one-route-to-a-first-responder",
             "online-form-never-for-non-first-responders",
             "council-first-responder-step-only-for-first-responders",
             "safeplace-listed-where-pointed-to")
"""The shipped invariants of the new kinds (they hold)."""


@cache
def checked() -> model.Pack:
    """The shipped pack with the stricter invariants, the shipped ones of the new kinds and a
    few budgets instead of its own: one search for every test here (`helpers.searched`)."""
    pack = shipped()
    return replace(pack, invariants={**{i: pack.invariants[i] for i in NEW_KINDS}, **stricter(),
                                     **{b.id: b for b in BUDGETS}})


def test_merged_search_agrees_with_walking_every_path() -> None:
    """Every new kind, broken or not, with and without `when`, and the budgets: the search
    over merged states finds what walking each path finds, with answers as few."""
    pack = checked()
    result = searched(pack, built_in=False)
    brute = walked(pack)
    assert result.limit is None and result.paths == brute.paths
    assert {k: len(v.answers) for k, v in result.broken.items()} == brute.shortest
    assert set(result.vacuous) == set(pack.invariants) - brute.applied
    assert result.lengths == invariants.Lengths.of(brute.steps, brute.words)
    # the budget that holds everywhere holds
    assert len(brute.shortest) >= 3  # some are broken, so that the comparison means something
    assert "plan-at-most-40-steps" not in brute.shortest
    for inv_id, example in result.broken.items():  # the answers replay to a broken plan
        plan = engine.walk(pack, engine.Session(example.start, example.answers)).plan()
        assert invariants.broken(pack.invariants[inv_id], plan) == list(example.broken) != []


def test_a_budget_with_a_when_counts_only_its_plans() -> None:
    example = searched(checked(), built_in=False).broken["nhs-plan-at-most-14-steps"]
    assert dict(example.answers).get("organisation", "nhs") == "nhs" or example.start == "health"
    assert example.broken[0].startswith("the plan has ") and "(at most 14)" in example.broken[0]


EXPECTED_BREAKS = {
    "strict-online-form-only-for-first-responders": {"under_18": "yes", "organisation": "general"},
    "strict-point-of-contact-only-for-first-responders": {"organisation": "general"},
    "strict-safeplace-listed-wherever-interim-accommodation-is": {"housing_situation": "homeless"},
}
"""What each stricter statement's shortest counterexample holds: the case its shipped
invariant leaves out on purpose."""


@pytest.mark.parametrize("inv_id", sorted(EXPECTED_BREAKS))
def test_each_stricter_statement_is_broken_where_its_shipped_invariant_allows(inv_id: str) -> None:
    """The stricter statements are broken on the real plans, and only in the case their
    shipped invariant allows, which holds there (so the shipped one is not vacuous there)."""
    result = searched(checked(), built_in=False)
    example = result.broken[inv_id]
    assert EXPECTED_BREAKS[inv_id].items() <= dict(example.answers).items(), example.describe()
    plan = engine.walk(checked(), engine.Session(example.start, example.answers)).plan()
    shipped_ones = [i for i in NEW_KINDS[-3:] if invariants.when_holds(shipped().invariants[i].when, plan.facts)]
    assert all(invariants.broken(shipped().invariants[i], plan) == [] for i in shipped_ones)


def test_stricter_invariants_read_as_a_pack_file(pack_copy: Path) -> None:
    """The stricter file is a valid invariants file of the pack: every id it names exists."""
    target = pack_copy / "directory" / "invariants.yaml"
    entries = STRICTER.read_text().split("invariants:\n", 1)[1]
    target.write_text(target.read_text().rstrip("\n") + "\n\n" + entries)
    result = loader.load_pack(pack_copy)
    assert result.errors == [] and set(stricter()) <= set(result.pack.invariants)


def _broken(pack_dir: Path, rule: str, name: str) -> tuple[str, int, str]:
    """Return where lint reports the one problem of `rule` that names `name`, and its message."""
    found = [p for p in lint.lint_pack(pack_dir, TODAY) if p.rule == rule and f"'{name}'" in p.message]
    assert len(found) == 1, found
    return Path(found[0].path).name, found[0].line, found[0].message


def _answers(message: str) -> dict[str, str]:
    """Return the answers a lint message gives ("... with a=x, b=y: what is wrong")."""
    given = message.split(" with ", 1)[1].split(": ", 1)[0]
    return dict(pair.split("=") for pair in given.split(", "))


# Mutations of the shipped content (a copy): the shipped invariants catch these regressions.


def test_bringing_back_a_duplicate_step_fails_with_the_shortest_answers(pack_copy: Path) -> None:
    """`never_together`: the step that says "the person is not in the NRM" added back where
    the status is unknown."""
    edit(pack_copy / "nrm-pre.yaml", "    steps: [confirm_nrm_status]\n    source: \"protocol 4.3\"",
         "    steps: [confirm_nrm_status, consider_nrm]\n    source: \"protocol 4.3\"")
    name, line, message = _broken(pack_copy, "invariant-broken", "status-unknown-or-not-in-nrm")
    inv_file = pack_copy / "directory" / "invariants.yaml"
    assert (name, line) == ("invariants.yaml", line_of(inv_file, "id: status-unknown-or-not-in-nrm"))
    assert "step confirm_nrm_status and step consider_nrm are both in the plan" in message
    assert _answers(message)["nrm_status"] == "unknown"
    pack = loader.load_pack_or_raise(pack_copy)
    every = explore.Endings(pack)  # every path as ids, found apart from the invariant search
    fewest = min(len(e.answers) for start in pack.starts for e in every(start)
                 if {"confirm_nrm_status", "consider_nrm"} <= set(e.steps))
    assert len(_answers(message)) == fewest


def test_a_step_only_for_some_readers_given_to_others_fails(pack_copy: Path) -> None:
    """`only_when`: a First Responder told to ask a First Responder."""
    edit(pack_copy / "nrm-pre.yaml", '      - value: "yes"\n        next: s_next\n      - value: "no"\n'
         "        next: s_ask_first_responder",
         '      - value: "yes"\n        next: s_ask_first_responder\n      - value: "no"\n'
         "        next: s_ask_first_responder")
    name, _, message = _broken(pack_copy, "invariant-broken",
                               "ask-first-responder-only-for-non-first-responders")
    assert name == "invariants.yaml"
    start = message.split("from '", 1)[1].split("'", 1)[0]
    pack = loader.load_pack_or_raise(pack_copy)
    plan = engine.walk(pack, engine.Session(start, tuple(_answers(message).items()))).plan()
    assert plan.facts["first_responder"] == "yes"  # asked, or known from the organisation
    assert "step ask_first_responder is in the plan but its condition does not hold" in message


READER_MUTATIONS = {
    # the online form back in the words a non-First Responder gets for a best-interests decision
    "online-form-never-for-non-first-responders": (
        [("directory/steps.yaml",
          "        contacts: [police-101, coventry-ms-lead, coventry-adult-social-care]\n",
          "        contacts: [police-101, coventry-ms-lead, nrm-online]\n")],
        "contact nrm-online is in the plan but its condition does not hold"),
    # the policy no longer knows that Trading Standards is part of a First Responder council
    "council-first-responder-step-only-for-first-responders": (
        [("directory/policy.yaml", "childrens_services, trading_standards]}", "childrens_services]}")],
        "step ts_council_first_responder is in the plan but its condition does not hold"),
    # SafePlace no longer listed for a person not in the NRM (neither by the 4.3 table nor by
    # the housing pathway), whom the interim-accommodation step points to it
    "safeplace-listed-where-pointed-to": (
        [("directory/eligibility.yaml",
          "  - service: wmasn-safeplace\n    cells: {in_nrm: false, not_in_nrm: true,",
          "  - service: wmasn-safeplace\n    cells: {in_nrm: false, not_in_nrm: false,"),
         ("housing.yaml", "    services: [wmasn-safeplace]\n", "    services: [adavu]\n")],
        "step housing_relief_interim points to service wmasn-safeplace, which is not in the plan"),
}


@pytest.mark.parametrize("inv_id", sorted(READER_MUTATIONS))
def test_bringing_back_words_a_reader_cannot_use_fails(pack_copy: Path, inv_id: str) -> None:
    """The three contradictions of what a reader is told (the review's online form for a
    non-First Responder, Trading Standards told its council is a First Responder where that is
    not known, SafePlace pointed to but not listed) come back and lint fails on them."""
    edits, says = READER_MUTATIONS[inv_id]
    for file, old, new in edits:
        edit(pack_copy / file, old, new)
    name, line, message = _broken(pack_copy, "invariant-broken", inv_id)
    inv_file = pack_copy / "directory" / "invariants.yaml"
    assert (name, line) == ("invariants.yaml", line_of(inv_file, f"id: {inv_id}"))
    assert says in message
    start = message.split("from '", 1)[1].split("'", 1)[0]
    pack = loader.load_pack_or_raise(pack_copy)
    plan = engine.walk(pack, engine.Session(start, tuple(_answers(message).items()))).plan()
    assert invariants.broken(pack.invariants[inv_id], plan) != []


def test_a_step_pointing_to_a_service_not_listed_fails(pack_copy: Path) -> None:
    """A step's `mentions` (steps.yaml), checked by the built-in rule: the Job Shop no longer
    listed where the skills step tells the person about it."""
    edit(pack_copy / "skills-employment.yaml", "services: [adult-education, job-shop]",
         "services: [adult-education]")
    name, line, message = _broken(pack_copy, "safety-rule-broken", "mentioned-in-plan")
    steps = pack_copy / "directory" / "steps.yaml"
    assert (name, line) == ("steps.yaml", line_of(steps, "mentions: {services: [adult-education, job-shop]}"))
    assert "step offer_skills_support points to service job-shop, which is not in the plan" in message


def test_a_budget_broken_is_reported_with_the_shortest_answers(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    lengths = searched(loader.load_pack_or_raise(root)).lengths
    assert lengths is not None
    most = lengths.most_steps
    inv_file = root / "directory" / "invariants.yaml"
    inv_file.write_text(inv_file.read_text() + f"""
  - id: short-plans
    description: A plan has at most {most - 1} steps.
    source: test
    require:
      max_steps: {most - 1}
""")
    name, line, message = _broken(root, "invariant-broken", "short-plans")
    assert (name, line) == ("invariants.yaml", line_of(inv_file, "id: short-plans"))
    assert f"the plan has {most} steps (at most {most - 1})" in message


def shipped_lengths() -> invariants.Lengths:
    found = searched(shipped()).lengths
    assert found is not None
    return found


BAD = {
    "one-item-group": ("never_together:\n        - steps: [refer_nrm]", "two or more"),
    "only-when-without-when": ("only_when:\n        - steps: [refer_nrm]", "when"),
    "mention-of-nothing": ("mentions:\n        - by_step: refer_nrm", "name the steps or services"),
    "no-steps-at-all": ("max_steps: 0", "greater than or equal to 1"),
    "budget-not-a-number": ('max_words: "400"', "whole number"),
}


@pytest.mark.parametrize("inv_id", sorted(BAD))
def test_bad_invariants_are_reported_at_their_line(tmp_path: Path, inv_id: str) -> None:
    need, words = BAD[inv_id]
    root = tiny_pack(tmp_path)
    inv_file = root / "directory" / "invariants.yaml"
    inv_file.write_text(inv_file.read_text() + f"""
  - id: {inv_id}
    description: A broken invariant.
    source: test
    require:
      {need}
""")
    problems = [p for p in loader.load_pack(root).errors if p.path.endswith("invariants.yaml")]
    assert problems, "the loader took a bad invariant"
    assert all(p.line >= line_of(inv_file, f"id: {inv_id}") for p in problems)
    assert any(words in p.message for p in problems), [p.message for p in problems]


def test_an_unknown_id_in_a_group_is_reported_at_its_line(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    inv_file = root / "directory" / "invariants.yaml"
    inv_file.write_text(inv_file.read_text() + """
  - id: typo
    description: A typo in a group.
    source: test
    require:
      never_together:
        - steps: [refer_nrm]
          contacts: [helpine]
""")
    [problem] = loader.load_pack(root).errors
    assert (problem.rule, problem.line) == ("unknown-contact", line_of(inv_file, "contacts: [helpine]"))
    assert "helpline" in problem.message


def test_lint_prints_the_plan_lengths_beside_its_coverage(cli) -> None:
    lengths = shipped_lengths()
    result = cli("lint")
    assert (f"plan length over every path: median {lengths.median_steps} steps and "
            f"{lengths.median_words:,} words, largest {lengths.most_steps} steps and "
            f"{lengths.most_words:,} words") in result.stderr


def test_sarif_carries_the_coverage_and_plan_lengths(cli) -> None:
    import json

    lengths = shipped_lengths()
    [run] = json.loads(cli("lint", "--format", "sarif").stdout)["runs"]
    [cover] = run["properties"]["coverage"]
    assert cover["paths"] == lengths.paths and cover["planLength"] == {
        "medianSteps": lengths.median_steps, "largestSteps": lengths.most_steps,
        "medianWords": lengths.median_words, "largestWords": lengths.most_words}
