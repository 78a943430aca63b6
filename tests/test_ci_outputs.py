"""Standard outputs, validated: SARIF against the official 2.1.0 schema with formats checked,
GitHub annotations with end positions and a group per file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ms_navigator.problems import Level, Problem
from ms_navigator.render import ci
from ms_navigator.rules import RULES
from tests.helpers import edit, line_of, tiny_pack

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _errors(log: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(log)]


def _break(pack: Path) -> tuple[Path, int]:
    """Drop refer_nrm from the child step (an invariant breaks) and make a review date stale,
    in the other pathway of the two-pathway fixture pack."""
    edit(pack / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")
    status = pack / "status.yaml"
    edit(status, "review_date: 2027-12-31", "review_date: 2020-01-31")
    return status, line_of(status, "review_date")


@pytest.fixture()
def pair(tmp_path: Path) -> Path:
    return tiny_pack(tmp_path, "pair")


def test_format_checking_is_on() -> None:
    """The check below would prove nothing if `uri` formats were not checked: they are."""
    log = json.loads(ci.sarif([Problem("a.yaml", 1, 1, "syntax", Level.ERROR, "x")]))
    assert _errors(log) == []
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md#syntax"
    assert any("helpUri" in e for e in _errors(log))


@pytest.mark.parametrize("help_uri", [None, "https://example.org/ms-navigator/docs/rules.md"])
def test_sarif_of_a_broken_pack_is_valid_sarif_2_1_0(cli, pair: Path, help_uri) -> None:
    _break(pair)
    log = json.loads(cli("lint", str(pair), "--format", "sarif", code=1).stdout)
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["invariant-broken"] == "error" and levels["review-date-past"] == "warning"
    if help_uri:  # a hosted copy of the rules page, as configured
        log = json.loads(ci.sarif([Problem("a.yaml", 1, 1, "syntax", Level.ERROR, "x")], help_uri))
        assert log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] == f"{help_uri}#syntax"
    assert _errors(log) == []


def test_sarif_of_a_pack_that_does_not_load_is_valid_too(cli, pair: Path) -> None:
    edit(pair / "status.yaml", "next: s_confirm", "next: s_nowhere")
    log = json.loads(cli("lint", str(pair), "--format", "sarif", code=1).stdout)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"unknown-node", "pack-not-checked"}
    assert _errors(log) == []


def test_sarif_rules_carry_help_and_results_their_end(cli, pair: Path) -> None:
    post, line = _break(pair)
    log = json.loads(cli("lint", str(pair), "--format", "sarif", code=1).stdout)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id, rule in rules.items():
        assert rule["help"]["text"] == RULES[rule_id].doc
        assert rule["help"]["markdown"].startswith(f"## {rule_id}\n")
        assert rule["helpUri"] == f"urn:ms-navigator:rule:{rule_id}"
    assert rules["invariant-broken"]["properties"]["mandatory"] is True
    [stale] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "review-date-past"]
    region = stale["locations"][0]["physicalLocation"]["region"]
    text = post.read_text().splitlines()[line - 1]
    assert text[region["startColumn"] - 1:region["endColumn"] - 1] == "2020-01-31"
    assert region["endLine"] == region["startLine"] == line


def test_github_annotations_have_ends_and_a_group_per_file(cli, pair: Path) -> None:
    post, line = _break(pair)
    out = cli("lint", str(pair), "--format", "github", code=1).stdout.splitlines()
    groups = [l.removeprefix("::group::") for l in out if l.startswith("::group::")]
    files = {l.split("file=")[1].split(",")[0] for l in out if l.startswith("::") and "file=" in l}
    assert len(groups) == len(set(groups)) == len(files) >= 2
    assert out.count("::endgroup::") == len(groups)
    start = out.index(f"::group::{post}")
    [stale] = [l for l in out[start:] if "title=review-date-past" in l]
    col = post.read_text().splitlines()[line - 1].index("2020") + 1
    assert f",line={line},col={col},endLine={line},endColumn={col + 9}," in stale
    assert out[out.index(stale) + 1] == "::endgroup::"


def test_a_problem_without_an_end_has_none() -> None:
    problem = Problem("a.yaml", 0, 0, "file", Level.ERROR, "gone")
    assert ci.github([problem]) == ("::group::a.yaml\n::error file=a.yaml,line=1,col=1,"
                                    "title=file::gone\n::endgroup::\n")
    region = json.loads(ci.sarif([problem]))["runs"][0]["results"][0]["locations"][0]
    assert region["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
