"""Lint cannot be switched off or fooled by a pack (issue 15): the contract's safety rules are
built in, skipped files are named, and control characters cannot forge lint lines."""

from __future__ import annotations

from pathlib import Path

from ms_navigator import conditions, lint, safety
from ms_navigator.rules import RULES
from tests.helpers import edit, line_of, tiny_pack


def _leave_children_unsafeguarded(pack_dir: Path) -> None:
    edit(pack_dir / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [refer_nrm]")


def test_deleting_the_invariants_file_cannot_switch_the_safety_rules_off(tmp_path: Path,
                                                                          cli) -> None:
    root = tiny_pack(tmp_path)
    (root / "directory" / "invariants.yaml").unlink()
    _leave_children_unsafeguarded(root)
    for args in (["lint", str(root)], ["lint", "--strict", str(root)],
                 ["lint", str(root / "visit.yaml")]):
        out = cli(*args, code=1).stdout
        assert "safety-rule-broken" in out and "'child-safeguarded'" in out, out
        assert "under_18=" in out  # the shortest counterexample is given


def test_a_pack_invariant_cannot_replace_a_built_in_rule(tmp_path: Path) -> None:
    """A pack whose own invariants file says the opposite still fails the built-in rule."""
    root = tiny_pack(tmp_path)
    path = root / "directory" / "invariants.yaml"
    path.write_text(
        "invariants:\n"
        "  - id: child-safeguarded\n"
        "    description: Children are only notified.\n"
        "    source: test\n"
        "    when: {fact: under_18, in: [\"no\"]}\n"
        "    require: {no_steps: [call_999]}\n")
    _leave_children_unsafeguarded(root)
    found = [p for p in lint.lint_pack(root) if p.rule == "safety-rule-broken"]
    assert found and all(p.path.endswith(".yaml") and p.line > 0 for p in found)


def test_the_safety_rule_is_marked_so_configuration_can_never_disable_it() -> None:
    assert RULES["safety-rule-broken"].mandatory
    assert not RULES["invariant-vacuous"].mandatory
    ids = [r.id for r in safety.rules()]
    assert all(safety.is_built_in(i) for i in ids) and len(ids) == len(set(ids))


def test_the_shipped_pack_keeps_every_built_in_rule(pack) -> None:
    from ms_navigator import invariants

    assert not [k for k in invariants.search(pack).broken if safety.is_built_in(k)]


def test_the_contract_values_cover_every_fact_the_built_in_rules_read_as_the_contract_says() -> None:
    read = set().union(*(conditions.facts_read(rule.when) for rule in safety.rules() if rule.when))
    assert read == set(safety.CONTRACT_VALUES)
    table = (Path(__file__).resolve().parents[1] / "docs" / "contract.md").read_text(encoding="utf-8")
    for fact, values in safety.CONTRACT_VALUES.items():
        [row] = [line for line in table.splitlines() if line.startswith(f"| `{fact}` |")]
        assert set(row.split("|")[2].split("(")[0].replace("`", "").replace(",", " ").split()) == values


def test_a_value_of_the_packs_own_for_a_contract_fact_is_an_error_no_configuration_silences(
        tmp_path: Path, cli) -> None:
    """`awaiting` for `awaiting_rg` would let a person already in the NRM be referred again
    with no built-in rule seeing it: lint refuses the value at its line in facts.yaml."""
    root = tiny_pack(tmp_path)
    facts = root / "directory" / "facts.yaml"
    edit(facts, "{value: not_referred, label: Not referred yet}", "{value: waiting, label: Waiting}")
    edit(root / "visit.yaml", "{value: not_referred, next: q_gender}", "{value: waiting, next: q_gender}")
    edit(root / "directory" / "eligibility.yaml", "nrm_status: [not_referred]", "nrm_status: [waiting]")
    found = [p for p in lint.lint_pack(root) if p.rule == "contract-fact-value"]
    assert [(Path(p.path).name, p.line) for p in found] == [("facts.yaml", line_of(facts, "value: waiting"))]
    assert "'waiting' is not a value of 'nrm_status'" in found[0].message
    assert RULES["contract-fact-value"].mandatory
    config = tmp_path / "lint.yaml"
    config.write_text("rules:\n  contract-fact-value: disable\n")
    said = cli("lint", str(root), "--config", str(config), code=2).stderr
    assert "'contract-fact-value' is a safety rule: it cannot be disabled" in said
