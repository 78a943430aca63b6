"""The case summary written by --output: what a case record needs, and nothing identifying."""

from __future__ import annotations

import errno
import json
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ms_navigator import __version__, record, store, visit
from ms_navigator.commands import visits
from ms_navigator.render import jsonfmt, markdown
from tests.helpers import plan_for
from tests.test_cli import ADULT_DTN

ADULT = {"immediate_danger": "no", "under_18": "no", "organisation": "general",
         "care_support_needs": "no", "nrm_status": "not_referred", "has_capacity": "yes",
         "consent_nrm": "no", "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "male",
         "housing_situation": "housed"}
SUMMER = datetime(2026, 7, 1, 14, 5, tzinfo=timezone(timedelta(hours=1)))


def test_markdown_summary_says_when_on_what_and_why(pack) -> None:
    plan = plan_for(pack, ADULT)
    text = markdown.render_summary(plan, record.record_for(pack, plan, made_at=SUMMER))
    lines = text.splitlines()
    assert lines[0] == "# Modern slavery: case summary"
    assert "- Made: 01 July 2026 at 14:05 (UTC+01:00)" in lines
    assert f"- Tool: ms-navigator {__version__}" in lines
    version = pack.pathways["identification"].version
    assert f"identification (section 4.1, version {version})" in text
    answers = lines[lines.index("## Answers given"):lines.index("### Do first")]
    assert any(re.match(r"\d+\. Does the person give informed consent to an NRM referral\? No", a) for a in answers)
    steps = [line for line in lines[lines.index("### Do first"):lines.index("## Services the person can use")]
             if line[:1].isdigit()]
    # Do first, then the other steps by when, numbered on from one group to the next.
    assert [int(line.split(".")[0]) for line in steps] == list(range(1, len(plan.steps) + 1))
    assert any(line.startswith("### Then, ") for line in lines) and "Duty to Notify" in text
    assert text.index("## Answers given") < text.index("## Steps\n\n### Do first") < text.index("## Services")
    assert "Officer's notes" not in text


def test_the_summary_says_why_each_step_is_there(pack) -> None:
    plan = plan_for(pack, ADULT)
    lines = markdown.render_summary(plan, record.record_for(pack, plan, made_at=SUMMER)).splitlines()
    at = lines.index(next(line for line in lines if "(Duty to Notify, Modern Slavery Act 2015" in line))
    because = next(line for line in lines[at:] if line.startswith("    - Because:"))
    assert "Does the person give informed consent to an NRM referral? -> No" in because


def test_notes_appear_only_when_given(pack) -> None:
    plan = plan_for(pack, ADULT)
    text = markdown.render_summary(plan, record.record_for(pack, plan, "Interpreter booked.", SUMMER))
    assert text.endswith("## Officer's notes\n\nInterpreter booked.\n")


def test_json_summary_is_the_plan_with_a_record(pack) -> None:
    plan = plan_for(pack, ADULT)
    data = jsonfmt.summary_data(plan, record.record_for(pack, plan, made_at=SUMMER))
    assert {k: v for k, v in data.items() if k != "case_summary"} == jsonfmt.plan_data(plan)
    assert data["case_summary"]["made_at"] == "2026-07-01T14:05:00+01:00"
    assert data["case_summary"]["pathways"][0]["id"] == "identification"
    assert data["case_summary"]["notes"] is None


def test_output_json_writes_the_summary(cli, tmp_path: Path) -> None:
    target = tmp_path / "case.json"
    cli("start", "--answers", "-", "--output", str(target), stdin=ADULT_DTN)
    data = json.loads(target.read_text())
    assert data["case_summary"]["tool_version"] == __version__
    assert [p["id"] for p in data["case_summary"]["pathways"]] == data["pathways"]


def test_output_into_a_missing_folder_is_refused_with_a_message(cli, tmp_path: Path) -> None:
    result = cli("start", "--answers", "-", "--output", str(tmp_path / "no" / "case.md"),
                 stdin=ADULT_DTN, code=2)
    assert "does not exist" in result.stderr


def test_a_failed_summary_write_keeps_the_saved_visit(pack, tmp_path: Path, monkeypatch, capsys) -> None:
    saved = replace(store.new("identification", "f" * 16), answers=tuple(ADULT.items()))
    store.save(saved)

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(visits, "write_private", disk_full)
    finished = visit.Finished(plan_for(pack, ADULT), None, saved.id, kept=True)
    assert visits._finish(pack, finished, "markdown", tmp_path / "case.md") == 2
    assert store.all_saved() == [saved]
    out = capsys.readouterr()
    assert "No space left" in out.err and f"ms-navigator resume {saved.id} --output FILE" in out.err
    assert "Refer" in out.out or "refer" in out.out  # the plan is on screen instead
