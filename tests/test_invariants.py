"""Safety invariants: they hold on every shipped path, and a broken one gets its shortest counterexample."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ms_navigator import explore, invariants, lint, loader


def test_shipped_invariants_hold_on_every_path(pack) -> None:
    assert len(pack.invariants) >= 7
    assert invariants.counterexamples(pack) == {}


def test_the_checker_can_fail_on_a_plan(pack) -> None:
    from ms_navigator import engine

    plan = engine.run_scripted(pack, None, {"immediate_danger": "no", "under_18": "no",
                                            "care_support_needs": "no", "organisation": "general",
                                            "nrm_status": "not_referred", "has_capacity": "yes",
                                            "consent_nrm": "yes", "first_responder": "yes",
                                            "gender": "female"})
    rule = pack.invariants["no-consent-means-notify"]
    assert invariants.broken(rule, plan) == []  # consent given: the rule does not apply
    rule = pack.invariants["consent-means-referral"]
    stripped = engine.Plan(plan.facts, plan.pathways,
                           tuple(s for s in plan.steps if s.step.id != "refer_nrm"),
                           plan.offers, plan.guidance, plan.transcript)
    assert invariants.broken(rule, stripped) == ["no step refer_nrm"]


def test_broken_invariant_gets_the_shortest_counterexample(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    text = target.read_text()
    old = "steps: [safeguarding_children, refer_nrm, child_welfare_form"
    assert old in text
    target.write_text(text.replace(old, "steps: [safeguarding_children, child_welfare_form"))
    pack = loader.load_pack_or_raise(pack_copy)

    found = invariants.counterexamples(pack)
    assert set(found) == {"child-always-referred"}
    example = found["child-always-referred"]
    assert dict(example.answers)["under_18"] in ("yes", "unsure")
    # Independently: no path from any pathway breaks it with fewer answers.
    rule = pack.invariants["child-always-referred"]
    shortest = min(len(o.answers) for start in pack.pathways
                   for o in explore.outcomes(pack, start) if invariants.broken(rule, o.plan))
    assert len(example.answers) == shortest

    [problem] = [p for p in lint.lint_pack(pack_copy, date(2026, 11, 23))
                 if p.rule == "invariant-broken" and "child-always-referred" in p.message]
    inv_file = pack_copy / "directory" / "invariants.yaml"
    line = next(i for i, l in enumerate(inv_file.read_text().splitlines(), 1)
                if "id: child-always-referred" in l)
    assert (Path(problem.path).name, problem.line) == ("invariants.yaml", line)
    assert "under_18=" in problem.message and "no step refer_nrm" in problem.message


def test_a_loop_through_pathways_is_reported_with_its_shortest_answers(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    old = "      - value: unsure\n        next: s_child\n"
    target.write_text(target.read_text().replace(old, "      - value: unsure\n        next: q_nrm_status\n"))
    problems = [p for p in lint.lint_pack(pack_copy, date(2026, 11, 23)) if p.rule == "path-stuck"]
    assert problems, "the edit makes the walk go round nrm-pre and nrm-during for ever"
    nrm_pre = next(p for p in problems if p.path.endswith("nrm-pre.yaml"))
    assert nrm_pre.line == next(i for i, l in enumerate(target.read_text().splitlines(), 1)
                                if l.startswith("start:"))
    assert "under_18=unsure" in nrm_pre.message and "loop" in nrm_pre.message


def test_invariant_referring_to_an_unknown_step_is_an_error(pack_copy: Path) -> None:
    inv_file = pack_copy / "directory" / "invariants.yaml"
    inv_file.write_text(inv_file.read_text().replace("steps: [confirm_nrm_status]",
                                                     "steps: [confirm_status]"))
    result = loader.load_pack(pack_copy)
    assert [(p.rule, Path(p.path).name) for p in result.errors] == [("unknown-step", "invariants.yaml")]


def test_paths_reaching_the_same_state_are_explored_once(pack_copy: Path) -> None:
    """Two answers that lead to the same place, with nothing read from them later, merge."""
    from ms_navigator import engine

    target = pack_copy / "nrm-pre.yaml"
    old = "      - value: unsure\n        next: s_assess_capacity\n"
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, "      - value: unsure\n        next: i_explain_nrm\n"))
    pack = loader.load_pack_or_raise(pack_copy)

    def questions_in_tree(start: str) -> int:
        count, todo = 0, [engine.Session(start)]
        while todo:
            session = todo.pop()
            pending = engine.walk(pack, session).pending
            if pending is not None:
                count += 1
                todo.extend(engine.Session(start, session.answers + ((pending.fact, v),))
                            for v in pending.values())
        return count

    tree = sum(questions_in_tree(start) for start in pack.pathways)
    result = invariants.search(pack)
    assert result.states < tree
    assert result.broken == {} and result.stuck == {}

    # Merging never hides a counterexample, nor makes it longer than the shortest.
    text = target.read_text().replace("steps: [refer_nrm, msvcc_emergency_support]",
                                      "steps: [msvcc_emergency_support]")
    target.write_text(text)
    pack = loader.load_pack_or_raise(pack_copy)
    rule = pack.invariants["consent-means-referral"]
    shortest = min(len(o.answers) for start in pack.pathways
                   for o in explore.outcomes(pack, start) if invariants.broken(rule, o.plan))
    assert len(invariants.counterexamples(pack)["consent-means-referral"].answers) == shortest


def test_an_invariant_that_applies_nowhere_is_reported(pack_copy: Path) -> None:
    inv_file = pack_copy / "directory" / "invariants.yaml"
    old = "    when: {fact: consent_nrm, in: [\"yes\"]}\n"
    assert old in inv_file.read_text()
    inv_file.write_text(inv_file.read_text().replace(
        old, "    when: {all: [{fact: consent_nrm, in: [\"yes\"]}, {fact: under_18, in: [\"yes\"]}]}\n", 1))
    problems = [p for p in lint.lint_pack(pack_copy, date(2026, 11, 23)) if p.rule == "invariant-vacuous"]
    line = next(i for i, l in enumerate(inv_file.read_text().splitlines(), 1) if "{all: [{fact: consent" in l)
    assert [(Path(p.path).name, p.line) for p in problems] == [("invariants.yaml", line)]
    assert "consent-means-referral" in problems[0].message
