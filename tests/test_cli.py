"""The command line, in-process: contract shapes, exit codes, and messages instead of tracebacks."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.helpers import edit, line_of, tiny_pack

ADULT_DTN = (
    "immediate_danger: 'no'\nunder_18: 'no'\norganisation: general\ncare_support_needs: 'no'\nnrm_status: not_referred\n"
    "has_capacity: 'yes'\nconsent_nrm: 'no'\nfirst_responder: 'yes'\ncriminal_exploitation: 'no'\nsexual_exploitation: 'yes'\ngender: male\n"
    "housing_situation: housed\n"
)


def test_version(cli) -> None:
    assert cli("--version").stdout.startswith("ms-navigator ")


def test_list_json_gives_every_pathway_with_its_section(cli) -> None:
    rows = json.loads(cli("list", "--format", "json").stdout)
    assert [r["section"] for r in rows][:6] == ["4.1", "4.1", "4.2.1", "4.2.2", "4.2.3", "4.3"]
    assert [r["id"] for r in rows][:2] == ["identification", "preamble"]
    assert all(set(r) == {"id", "title", "section"} for r in rows)


def test_start_json_follows_the_contract(cli) -> None:
    plan = json.loads(cli("start", "--answers", "-", "--format", "json", stdin=ADULT_DTN).stdout)
    assert {"facts", "pathways", "steps", "services", "transcript"} <= set(plan)
    assert plan["facts"]["consent_nrm"] == "no"
    ids = [s["id"] for s in plan["steps"]]
    assert "notify_dtn" in ids and "refer_nrm" not in ids
    assert all({"id", "text", "urgency", "source"} <= set(s) for s in plan["steps"])
    assert all({"id", "name", "contact", "source"} <= set(s) for s in plan["services"])
    assert "wmasn-safeplace" in [s["id"] for s in plan["services"]]
    assert plan["transcript"][0] == {
        "pathway": "identification", "question": "Is the person, or anyone else, at risk of immediate harm right now?",
        "fact": "immediate_danger", "answer": "no", "label": "No immediate danger"}


def test_unquoted_yes_and_no_work_in_an_answers_file(cli) -> None:
    text = ADULT_DTN.replace("'", "")
    plan = json.loads(cli("start", "--answers", "-", "--format", "json", stdin=text).stdout)
    assert plan["facts"]["immediate_danger"] == "no"


def test_answers_file_in_json(cli, tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"immediate_danger": "yes", "under_18": "yes", "organisation": "general",
                           "criminal_exploitation": "no"}))
    plan = json.loads(cli("start", "--answers", str(answers), "--format", "json").stdout)
    assert [s["id"] for s in plan["steps"]][0] == "call_999"


def test_missing_answer_json(cli) -> None:
    result = cli("start", "--answers", "-", "--format", "json", stdin="immediate_danger: no\n", code=2)
    assert json.loads(result.stdout) == {
        "error": "missing_answer", "fact": "under_18", "question": "Could the person be under 18?",
        "options": ["yes", "no", "unsure"]}


def test_missing_answer_text_names_fact_and_values(cli) -> None:
    result = cli("start", "--answers", "-", stdin="immediate_danger: no\n", code=2)
    assert "under_18" in result.stderr and "yes, no, unsure" in result.stderr


@pytest.mark.parametrize(("stdin", "words"), [
    ("immediate_danger: no\nage: 30\n", "unknown fact 'age'"),
    ("under_18: maybe\n", "'under_18' cannot be 'maybe'"),
    ("- a\n- b\n", "mapping of fact to value"),
    ("a: [\n", "<stdin>:2:1"),
])
def test_bad_answers_exit_2_with_a_message(cli, stdin: str, words: str) -> None:
    result = cli("start", "--answers", "-", stdin=stdin, code=2)
    assert words in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_missing_answers_file(cli, tmp_path: Path) -> None:
    result = cli("start", "--answers", str(tmp_path / "none.yaml"), code=2)
    assert "no such answers file" in result.stderr


def test_no_terminal_points_to_answers(cli) -> None:
    result = cli("start", code=2)
    assert "--answers" in result.stderr


def test_unknown_pathway(cli) -> None:
    assert "ms-navigator list" in cli("start", "--pathway", "nope", "--answers", "-", stdin="{}", code=2).stderr


def test_output_file_is_owner_only_and_format_follows_its_suffix(cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    cli("start", "--answers", "-", "--output", str(target), stdin=ADULT_DTN)
    assert target.read_text().startswith("# Modern slavery: case summary")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temporary file left behind


def test_markdown_plan_lists_steps_services_and_answers(cli) -> None:
    text = cli("start", "--answers", "-", "--format", "markdown", stdin=ADULT_DTN).stdout
    assert "## Steps" in text and "## Services the person can use" in text and "## Answers given" in text
    assert "Duty to Notify" in text


def test_text_plan_is_plain_when_piped(cli) -> None:
    text = cli("start", "--answers", "-", stdin=ADULT_DTN).stdout
    assert "RECOMMENDED STEPS" in text and "\x1b[" not in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_services_json_is_the_table_cell(cli) -> None:
    data = json.loads(cli("services", "--nrm-status", "negative_cg", "--gender", "male", "--format", "json").stdout)
    assert data["nrm_status"] == "negative_cg" and data["gender"] == "male"
    assert [s["id"] for s in data["services"]] == [
        "wmasn-imsa", "adavu", "hope-for-justice", "sophie-hayes", "medaille-moving-on"]


def test_services_text_for_unknown_status_says_to_confirm(cli) -> None:
    out = cli("services", "--nrm-status", "unknown").stdout
    assert "Find out whether the person is already in the NRM" in out
    assert "Kairos" in out and "check" in out.lower()


def test_services_bad_status(cli) -> None:
    assert "allowed values" in cli("services", "--nrm-status", "pending", code=2).stderr


def test_show_pathway_tree(cli) -> None:
    out = cli("show", "nrm-pre").stdout
    assert "Pre-NRM" in out and "Does the person give informed consent" in out and "notify_dtn" in out


def test_show_step_and_unknown(cli) -> None:
    assert "Duty to Notify" in cli("show", "notify_dtn").stdout
    assert "nothing has the id" in cli("show", "nope", code=2).stderr


def test_lint_shipped_pack_is_clean(cli) -> None:
    cli("lint")


def test_lint_reports_file_line_col_and_exit_1(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    target = root / "status.yaml"
    edit(target, "next: s_confirm", "next: s_nowhere")
    out = cli("lint", str(root), code=1).stdout
    line = line_of(target, "s_nowhere")
    assert f"status.yaml:{line}:15: error unknown-node unknown node 's_nowhere'" in out


def test_bad_pack_never_shows_a_traceback(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    (root / "status.yaml").write_bytes(b"\xff\xfe\x00")
    result = cli("lint", str(root), "--format", "json", code=1)
    [problem] = [p for p in json.loads(result.stdout) if p["rule"] != "pack-not-checked"]
    assert problem["rule"] == "encoding" and problem["path"].endswith("status.yaml")


def test_ctrl_c_in_any_command_says_it_stopped_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A command without an interruption message of its own (lint of a large pack, say) says
    plainly that it stopped, once, and exits 130."""
    from ms_navigator import cli as cli_module

    def pressed() -> int:
        raise KeyboardInterrupt

    assert cli_module._run(pressed) == 130
    assert capsys.readouterr().err == "\nInterrupted: stopped before it finished.\n"
