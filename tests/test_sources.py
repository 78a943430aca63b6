"""The register of sources, internal labels, confidence shown to readers, and local contacts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ms_navigator import loader, model
from ms_navigator.render import jsonfmt, markdown
from ms_navigator.rules import content
from tests.helpers import edit, plan_for, tiny_pack

ADULT_UNVERIFIED = {"immediate_danger": "no", "under_18": "no", "organisation": "general",
                    "care_support_needs": "no", "nrm_status": "negative_cg", "sexual_exploitation": "yes", "gender": "male",
                    "housing_situation": "housed"}


def test_citations_read_as_titles_and_pinpoints(pack: model.Pack) -> None:
    """The user reads the register's name and the pinpoint, never the id."""
    assert pack.steps["call_999"].source.startswith("Coventry Protocol 4.1; police.uk")
    assert pack.steps["notify_dtn"].source.endswith("GOV.UK, Report modern slavery as a first responder")


def test_no_internal_label_anywhere_a_user_reads(pack: model.Pack) -> None:
    found = [(kind, item, text) for kind, item, _, text in content.user_texts(pack)
             if content.INTERNAL_LABELS.search(text)]
    assert found == []


def test_unknown_source_id_is_a_located_error(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "directory" / "steps.yaml", "source: test", 'source: "Coventry Protocol 4.1"')
    problems = loader.load_pack(root).problems
    assert [(p.rule, Path(p.path).name) for p in problems] == [("unknown-source", "steps.yaml")]
    assert "'Coventry'" in problems[0].message


@pytest.mark.parametrize("label", ["(V)", "(V2)", "UNVERIFIED", "reference notes", "CONTRACT"])
def test_internal_label_in_user_text_fails_lint(cli, tmp_path: Path, label: str) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "directory" / "steps.yaml", "Call 999 now.", f"Call 999 now {label}.")
    result = cli("lint", str(root), "--format", "json", code=1)
    rules = {p["rule"] for p in json.loads(result.stdout)}
    assert rules == {"internal-label"}


@pytest.mark.parametrize(("old", "new"), [
    ("text: Is anyone in danger?", 'text: "Is anyone in danger?\\nUNVERIFIED"'),
    ("title: A visit", "title: A visit (V2)"),
])
def test_internal_label_in_a_pathway_fails_lint_after_a_line_break_too(
        cli, tmp_path: Path, old: str, new: str) -> None:
    """A pathway's texts are searched for labels only where its JSON may hold one, and in
    JSON a line break before a word leaves no word boundary: the label is found all the same."""
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", old, new)
    result = cli("lint", str(root), "--format", "json", code=1)
    assert {p["rule"] for p in json.loads(result.stdout)} == {"internal-label"}


def test_unverified_step_says_who_confirms_it(pack: model.Pack) -> None:
    plan = plan_for(pack, ADULT_UNVERIFIED)
    step = next(s for s in plan.steps if s.step.id == "request_reconsideration")
    note = "Not confirmed: check with the First Responder in the case (who may ask)."
    assert step.step.confidence_note == note
    assert f"   - {note}" in markdown.render_plan(plan)
    data = jsonfmt.plan_data(plan)
    shown = next(s for s in data["steps"] if s["id"] == "request_reconsideration")
    assert shown["confidence"] == "unverified" and shown["confidence_note"] == note


def test_inferred_step_says_local_practice(pack: model.Pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "no", "under_18": "yes", "organisation": "general",
                           "criminal_exploitation": "no"})
    step = next(s for s in plan.steps if s.step.id == "child_police_now")
    assert step.step.confidence_note == model.LOCAL_PRACTICE


def test_unverified_without_check_with_fails(tmp_path: Path) -> None:
    from ms_navigator import lint

    root = tiny_pack(tmp_path)
    steps = root / "directory" / "steps.yaml"
    edit(steps, "    summary: Refer the person.\n", "    summary: Refer the person.\n"
         "    confidence: unverified\n    check_with: the First Responder in the case\n")
    assert lint.lint_pack(root) == []
    edit(steps, "    check_with: the First Responder in the case\n", "")
    assert {p.rule for p in lint.lint_pack(root)} == {"unverified-without-check"}


LOCAL = """\
contacts:
  - id: coventry-ms-lead
    name: Coventry City Council Modern Slavery Lead
    phone: "024 7600 0000"
    source: "local (safeguarding intranet)"
    verified: true
    last_verified: 2026-11-30
"""


def test_local_contacts_replace_shipped_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "local-contacts.yaml"
    local.write_text(LOCAL, encoding="utf-8")
    monkeypatch.setenv(loader.LOCAL_CONTACTS_ENV, str(local))
    result = loader.load_pack()
    assert result.pack is not None and not result.problems
    lead = result.pack.contacts["coventry-ms-lead"]
    assert lead.describe() == "Coventry City Council Modern Slavery Lead: 024 7600 0000"
    assert lead.source == "Local contact details (safeguarding intranet)"
    assert result.index.locate("contact", "coventry-ms-lead")[0] == loader.display_path(local)
    monkeypatch.delenv(loader.LOCAL_CONTACTS_ENV)
    assert "024 7600 0000" not in loader.load_pack().pack.contacts["coventry-ms-lead"].describe()


def test_local_contact_with_unknown_id_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "local-contacts.yaml"
    local.write_text(LOCAL.replace("coventry-ms-lead", "coventry-ms-leed"), encoding="utf-8")
    monkeypatch.setenv(loader.LOCAL_CONTACTS_ENV, str(local))
    problems = loader.load_pack().problems
    assert [(p.rule, p.line) for p in problems] == [("unknown-contact", 2)]


def test_coventry_safeguarding_numbers_are_in_plans(pack: model.Pack) -> None:
    """The council's published numbers reach the plan, day and night."""
    child = plan_for(pack, {"immediate_danger": "no", "under_18": "yes", "organisation": "general",
                           "criminal_exploitation": "no"})
    text = json.dumps(jsonfmt.plan_data(child))
    assert "024 7678 8555" in text and "024 7683 2222" in text
    assert "not held here" not in text
    assert child.steps[0].step.urgency is model.Urgency.NOW
