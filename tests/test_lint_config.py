"""Everything in one run, configuration (.ms-navigator.yaml), inline suppression, and the
options CI tools expect: --fail-severity, -o, -q, stdin, -h, -V."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ms_navigator import loader
from tests.helpers import edit, line_of, tiny_pack


def test_everything_in_one_run(cli, tmp_path: Path) -> None:
    """A schema error in one node hides nothing: the rest of that file, and every other file,
    get their checks in the same run."""
    root = tiny_pack(tmp_path, "pair")
    visit, status, steps = root / "visit.yaml", root / "status.yaml", root / "directory" / "steps.yaml"
    edit(visit, "    steps: [call_999]\n", "    stepz: [call_999]\n")  # the node s_call breaks
    edit(visit, "      - value: \"no\"\n        next: q_age", "      - value: \"no\"\n        next: q_aeg")
    edit(visit, "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children, refer_nmr]")
    edit(status, "review_date: 2027-12-31", "review_date: 2020-01-31")
    edit(steps, "after: [confirm_nrm_status]", "after: [confirm_nrm_stat]")
    out = cli("lint", str(root), code=1).stdout
    found = {(line.split(":")[0], line.split()[2]) for line in out.splitlines()}
    assert found == {(str(visit), "schema"), (str(visit), "unknown-node"), (str(visit), "unknown-step"),
                     (str(status), "review-date-past"), (str(steps), "unknown-step"),
                     (str(root), "pack-not-checked")}
    assert "unknown key 'stepz'. Did you mean 'steps'?" in out
    assert f"{visit}:{line_of(visit, 'q_aeg')}:15: error unknown-node unknown node 'q_aeg'." \
           " Did you mean 'q_age'?" in out
    assert "unknown step 'refer_nmr'. Did you mean 'refer_nrm'?" in out
    assert "unknown step 'confirm_nrm_stat'. Did you mean 'confirm_nrm_status'?" in out
    assert "s_call" not in out  # the broken node's id is known: no false unknown-node


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """The small test pack: how configuration, suppression and the output options behave does
    not depend on the shipped content (a past review date gives the one warning)."""
    return tiny_pack(tmp_path)


def _config(tmp: Path, text: str) -> Path:
    path = tmp / ".ms-navigator.yaml"
    path.write_text(text)
    return path


def test_config_disables_and_relevels_rules(cli, tiny: Path, tmp_path: Path) -> None:
    visit = tiny / "visit.yaml"
    edit(visit, "review_date: 2027-12-31", "review_date: 2020-01-31")
    config = _config(tmp_path, "rules:\n  review-date-past: error\n")
    out = cli("lint", str(tiny), "--config", str(config), code=1).stdout
    assert " error review-date-past " in out
    config.write_text("rules:\n  review-date-past: disable\n")
    assert cli("lint", str(tiny), "--config", str(config), "--strict").stdout == ""


def test_the_nearest_config_file_is_found(cli, tiny: Path, monkeypatch) -> None:
    edit(tiny / "visit.yaml", "review_date: 2027-12-31", "review_date: 2020-01-31")
    _config(tiny.parent, "fail-severity: warning\n")
    monkeypatch.chdir(tiny)
    cli("lint", ".", code=1)  # the warning fails: the file one folder up says so
    cli("lint", ".", "--fail-severity", "error")  # the option wins


@pytest.mark.parametrize(("text", "said"), [
    ("rules:\n  unused-itme: disable\n", "2:3: error schema unknown rule 'unused-itme'. Did you mean 'unused-item'?"),
    ("rules:\n  invariant-broken: disable\n", "'invariant-broken' is a safety rule: it cannot be disabled"),
    ("rules:\n  pack-not-checked: warning\n", "'pack-not-checked' is a safety rule"),
    ("rules:\n  unused-item: off\n", "unused-item"),
    ("help-uri: docs/rules.md\n", "help-uri"),
])
def test_a_config_that_cannot_be_used_is_bad_input(cli, tmp_path: Path, text: str, said: str) -> None:
    config = _config(tmp_path, text)
    assert said in cli("lint", "--config", str(config), code=2).stderr


def test_inline_suppression_needs_a_reason_and_is_reported(cli, tiny: Path) -> None:
    visit = tiny / "visit.yaml"
    edit(visit, "review_date: 2027-12-31",
          "review_date: 2020-01-31  # ms-navigator: disable=review-date-past under review until June")
    result = cli("lint", str(tiny), "--strict")
    assert result.stdout == ""
    line = line_of(visit, "review_date")
    assert f"1 problem(s) silenced inline:\n  {visit}:{line}: review-date-past (under review until June)\n" \
           in result.stderr
    sarif = json.loads(cli("lint", str(tiny), "--format", "sarif").stdout)
    [silenced] = sarif["runs"][0]["results"]
    assert silenced["suppressions"] == [{"kind": "inSource", "justification": "under review until June"}]
    edit(visit, " under review until June", "")
    out = cli("lint", str(tiny), "--strict", code=1).stdout
    assert f"{visit}:{line}:" in out and "review-date-past" in out
    assert "error suppression this `ms-navigator: disable` comment needs a reason" in out


def test_a_comment_on_its_own_line_silences_the_next_line(cli, tiny: Path) -> None:
    visit = tiny / "visit.yaml"
    edit(visit, "review_date: 2027-12-31",
          "# ms-navigator: disable=review-date-past,contact-stale reviewed with the safeguarding lead\n"
          "review_date: 2020-01-31")
    assert cli("lint", str(tiny), "--strict").stdout == ""


def test_a_safety_rule_cannot_be_silenced(cli, tiny: Path) -> None:
    edit(tiny / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")
    invariants = tiny / "directory" / "invariants.yaml"
    edit(invariants, "- id: child-referred",
          "- id: child-referred  # ms-navigator: disable=invariant-broken we know")
    out = cli("lint", str(tiny), code=1).stdout
    assert "invariant-broken invariant 'child-referred' is broken" in out
    assert "cannot silence 'invariant-broken', a safety rule" in out


def test_fail_severity_output_and_quiet(cli, tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "visit.yaml", "review_date: 2027-12-31", "review_date: 2020-01-31")
    cli("lint", str(tiny))
    cli("lint", str(tiny), "--fail-severity", "warning", code=1)
    report = tmp_path / "lint.sarif"
    result = cli("lint", str(tiny), "--format", "sarif", "-o", str(report), "-q")
    assert result.stdout == "" and result.stderr == ""
    assert json.loads(report.read_text())["runs"][0]["results"][0]["ruleId"] == "review-date-past"
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert "0 error(s), 1 warning(s)" in cli("lint", str(tiny), "-o", str(report)).stderr
    assert "-o" in cli("lint", str(tiny), "-o", str(tmp_path), code=2).stderr


def test_stdin_stands_for_a_file_of_the_pack(cli, tmp_path: Path) -> None:
    pre = tiny_pack(tmp_path, "pair") / "status.yaml"
    edited = pre.read_text().replace("next: s_confirm", "next: s_confrm")
    out = cli("lint", "-", "--stdin-filename", str(pre), stdin=edited, code=1).stdout
    assert f"{pre}:" in out and "unknown node 's_confrm'. Did you mean 's_confirm'?" in out
    assert "s_confrm" not in pre.read_text()  # the file on disk is untouched
    cli("lint", "-", "--stdin-filename", str(pre), stdin=pre.read_text())
    assert "--stdin-filename" in cli("lint", "-", stdin="x: 1\n", code=2).stderr


def test_short_help_and_version(cli) -> None:
    from ms_navigator import __version__

    assert cli("-V").stdout == f"ms-navigator {__version__}\n"
    assert "--fail-severity" in cli("lint", "-h").stdout
    assert "Usage" in cli("-h").stdout


def test_list_rules_as_json(cli) -> None:
    from ms_navigator.rules import RULES

    rules = json.loads(cli("lint", "--list-rules", "--format", "json").stdout)
    assert [r["id"] for r in rules] == list(RULES)
    assert {r["id"] for r in rules if r["mandatory"]} >= {"invariant-broken", "pack-not-checked"}


def test_with_no_path_a_local_pack_is_pointed_out(cli, tiny: Path, monkeypatch) -> None:
    tiny.rename(tiny.parent / "pathways")  # a pack where the shipped one would be in a checkout
    monkeypatch.chdir(tiny.parent)
    # The pack that ships stands in small (which pack is checked is the point, not its content).
    stand_in = tiny_pack(tiny.parent / "installed", scenarios=True)
    monkeypatch.setattr(loader, "shipped_pack_dir", lambda: stand_in)
    said = "Checked the pathways that ship with ms-navigator, not ./pathways"
    assert said in cli("lint").stderr and said in cli("test").stderr
    assert said not in cli("lint", "pathways").stderr
