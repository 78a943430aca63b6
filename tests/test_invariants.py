"""Safety invariants: they hold on every shipped path, and a broken one gets its shortest counterexample."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ms_navigator import engine, invariants, lint, loader, model, plans
from tests.helpers import edit, every_path, line_of, searched, shipped, tiny_pack, walked


def test_shipped_invariants_hold_on_every_path(pack) -> None:
    assert len(pack.invariants) >= 7
    assert invariants.counterexamples(pack) == {}


def test_the_checker_can_fail_on_a_plan(pack) -> None:
    plan = plans.run_scripted(pack, None, {"immediate_danger": "no", "under_18": "no",
                                            "care_support_needs": "no", "organisation": "general",
                                            "nrm_status": "not_referred", "has_capacity": "yes",
                                            "consent_nrm": "yes", "first_responder": "yes", "criminal_exploitation": "no",
                                            "sexual_exploitation": "yes", "gender": "female", "housing_situation": "housed"})
    rule = pack.invariants["no-consent-means-notify"]
    assert invariants.broken(rule, plan) == []  # consent given: the rule does not apply
    rule = pack.invariants["consent-means-referral"]
    stripped = engine.Plan(plan.facts, plan.pathways,
                           tuple(s for s in plan.steps if s.step.id != "refer_nrm"),
                           plan.offers, plan.guidance, plan.transcript)
    assert invariants.broken(rule, stripped) == ["no step refer_nrm"]


def test_broken_invariant_gets_the_shortest_counterexample(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")
    pack = loader.load_pack_or_raise(root)

    found = invariants.counterexamples(pack)
    # The pack's rule, and the contract's built-in one that says the same.
    assert set(found) == {"child-referred", "contract:child-referred"}
    example = found["child-referred"]
    assert dict(example.answers)["under_18"] in ("yes", "unsure")
    # No path breaks it with fewer answers: walking every path one by one agrees.
    assert len(example.answers) == walked(pack).shortest["child-referred"]
    rule = pack.invariants["child-referred"]
    plan = engine.walk(pack, engine.Session(example.start, example.answers)).plan()
    assert invariants.broken(rule, plan) == ["no step refer_nrm"]

    [problem] = [p for p in lint.lint_pack(root, date(2026, 11, 23))
                 if p.rule == "invariant-broken" and "child-referred" in p.message]
    inv_file = root / "directory" / "invariants.yaml"
    assert (Path(problem.path).name, problem.line) == ("invariants.yaml", line_of(inv_file, "id: child-referred"))
    assert "under_18=" in problem.message and "no step refer_nrm" in problem.message


def test_a_loop_through_pathways_is_reported_with_its_shortest_answers(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    status = root / "status.yaml"
    edit(status, "      - value: male\n        next: s_refer\n", "      - value: male\n        next: g_back\n")
    edit(status, "  - id: done\n", "  - id: g_back\n    type: goto\n    pathway: visit\n    source: test\n\n"
         "  - id: done\n")
    problems = [p for p in lint.lint_pack(root, date(2026, 11, 23)) if p.rule == "path-stuck"]
    assert problems, "the edit makes the walk go round visit and status for ever"
    visit = next(p for p in problems if p.path.endswith("visit.yaml"))
    assert visit.line == line_of(root / "visit.yaml", "start:")
    assert "gender=male" in visit.message and "loop" in visit.message


def test_invariant_referring_to_an_unknown_step_is_an_error(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "directory" / "invariants.yaml", "steps: [refer_nrm]", "steps: [refer_nr]")
    result = loader.load_pack(root)
    assert [(p.rule, Path(p.path).name) for p in result.errors] == [("unknown-step", "invariants.yaml")]


def _invariant(inv_id: str, when: dict | None, require: dict) -> model.Invariant:
    return model.Invariant.model_validate({"id": inv_id, "description": "d", "source": "protocol 4.1",
                                           "require": require, **({"when": when} if when else {})})


CHILD = {"fact": "under_18", "in": ["yes", "unsure"]}
BROKEN = (
    _invariant("child-gets-the-welfare-form", CHILD, {"steps": ["child_welfare_form"]}),
    _invariant("child-safeguarded-first", {"fact": "under_18", "in": ["yes"]},
               {"first_step": "safeguarding_children"}),
    _invariant("unknown-status-no-adavu", {"fact": "nrm_status", "in": ["unknown"]},
               {"no_services": ["adavu"]}),
    _invariant("never-asked-care-needs", None, {"not_asked": ["care_support_needs"]}),
    _invariant("applies-nowhere", {"fact": "under_18", "in": ["never-an-answer"]}, {"steps": ["refer_nrm"]}),
)
"""Invariants the shipped plans break, one of each kind (a missing step, a wrong first step, a
forbidden service, a fact asked that must not be), and one that applies on no path."""


def test_merged_search_agrees_with_walking_every_path() -> None:
    """Breaks of every kind, found by merged states exactly as by walking each path: the
    shipped plans (walked once for the run, `helpers.walked`) against these invariants and
    some of the pack's own, which hold."""
    pack = shipped()
    kept = ("child-always-referred", "danger-call-999-first", "unknown-status-only-open-services",
            "consent-means-referral", "child-never-asked-consent")
    pack = replace(pack, invariants={**{i: pack.invariants[i] for i in kept},
                                     **{i.id: i for i in BROKEN}})

    result = searched(pack, built_in=False)  # the brute force reads the pack's own
    brute = walked(pack)
    assert set(brute.shortest) == {i.id for i in BROKEN} - {"applies-nowhere"}
    assert {k: len(v.answers) for k, v in result.broken.items()} == brute.shortest
    assert result.paths == brute.paths and result.stuck == {}
    assert set(result.vacuous) == set(pack.invariants) - brute.applied == {"applies-nowhere"}
    for example in result.broken.values():  # each replays to a plan that breaks its invariant
        plan = engine.walk(pack, engine.Session(example.start, example.answers)).plan()
        assert invariants.broken(pack.invariants[example.invariant], plan) == list(example.broken)


def test_paths_reaching_the_same_state_are_explored_once(pack) -> None:
    """The shipped pack: far fewer states than questions in the tree of every path, and every
    path counted."""
    in_tree, paths = set(), 0
    for start in pack.starts:
        for outcome in every_path(pack, start):
            paths += 1
            in_tree.update((start, outcome.answers[:i]) for i in range(len(outcome.answers)))
    result = invariants.search(pack)
    assert result.paths == paths
    assert result.states * 10 < len(in_tree)
    assert result.broken == {} and result.stuck == {} and result.vacuous == ()


def test_an_invariant_that_applies_nowhere_is_reported(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    inv_file = root / "directory" / "invariants.yaml"
    edit(inv_file, 'when: {fact: under_18, in: ["yes", unsure]}',
         'when: {all: [{fact: under_18, in: ["yes"]}, {fact: under_18, in: ["no"]}]}')
    problems = [p for p in lint.lint_pack(root, date(2026, 11, 23)) if p.rule == "invariant-vacuous"]
    assert [(Path(p.path).name, p.line) for p in problems] == [("invariants.yaml", line_of(inv_file, "{all: [{fact: under_18"))]
    assert "child-referred" in problems[0].message


def test_paths_merged_for_the_pathway_are_kept_apart_for_what_an_invariant_reads(tmp_path: Path) -> None:
    """Two paths at the same question that the pathway ahead treats alike, one with a fact
    answered and one without it, where a pathway entered later makes that fact known only on
    the second (its `reader`): each is judged on its own facts, as walking each path finds."""
    pack_dir = tiny_pack(tmp_path)
    facts = pack_dir / "directory" / "facts.yaml"
    facts.write_text(facts.read_text() + (
        "  - id: seen_before\n    meaning: The person has been seen before.\n"
        '    values: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]\n'
        "    source: test\n"))
    visit = pack_dir / "visit.yaml"
    # Asked only when no one is in danger; the pathway never reads it again.
    edit(visit, '      - {value: "no", next: q_age}', '      - {value: "no", next: q_seen}')
    edit(visit, "  - id: s_call\n", "  - id: q_seen\n    type: question\n    fact: seen_before\n"
         "    text: Has the person been seen before?\n    source: test\n    options:\n"
         '      - {value: "yes", next: q_age}\n      - {value: "no", next: q_age}\n\n'
         "  - id: s_call\n")
    edit(visit, "    table: support\n    source: test\n    next: done\n",
         "    table: support\n    source: test\n    next: g_other\n\n  - id: g_other\n"
         "    type: goto\n    pathway: other\n    source: test\n    next: done\n")
    (pack_dir / "other.yaml").write_text(
        'id: other\ntitle: Another pathway\nsection: "4.2"\nsummary: Entered last.\n'
        'audience: Tests\nversion: "1"\nreview_date: 2027-12-31\nsource: test\n'
        'reader: {seen_before: "yes"}\nstart: o_check\n\nnodes:\n'
        # started on its own, before any status is known, it says to confirm the status
        '  - id: o_check\n    type: branch\n    source: test\n    routes:\n'
        '      - {when: {not: {known: nrm_status}}, next: o_confirm}\n    otherwise: o_end\n\n'
        '  - id: o_confirm\n    type: step\n    steps: [confirm_nrm_status]\n    source: test\n'
        '    next: o_end\n\n  - id: o_end\n    type: end\n')
    pack = loader.load_pack_or_raise(pack_dir)
    rules = [model.Invariant.model_validate({
        "id": f"seen-before-{value}-means-confirm", "description": "d", "source": "test",
        "when": {"fact": "seen_before", "in": [value]}, "require": {"steps": ["confirm_nrm_status"]}})
        for value in ("yes", "no")]
    pack = replace(pack, invariants={rule.id: rule for rule in rules})
    brute = walked(pack)
    # "yes" without asking: danger, under 18 no, in the NRM, a gender, then `other` says so;
    # "no" only as answered: no danger, seen before no, under 18 no, in the NRM, a gender
    assert brute.shortest == {"seen-before-yes-means-confirm": 4, "seen-before-no-means-confirm": 5}
    result = invariants.search(pack, built_in=False)
    assert {k: len(v.answers) for k, v in result.broken.items()} == brute.shortest
    assert result.paths == brute.paths
