"""`ms-navigator impact`: which answer combinations get different advice after a real edit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ms_navigator import engine, explore, impact, loader, model, nodes
from tests.helpers import edit, every_path, shipped, tiny_pack


def _drop_msvcc_from_nrm_pre(pack_dir: Path) -> None:
    edit(pack_dir / "nrm-pre.yaml", "steps: [refer_nrm, msvcc_emergency_support]", "steps: [refer_nrm]")


def _drop_refer_for_men(pack_dir: Path) -> None:
    """Men skip the tiny pack's step `refer` (not a contract step): a change for their paths only."""
    edit(pack_dir / "visit.yaml", "{value: male, next: s_refer}", "{value: male, next: v_services}")


LOST = "no longer gets step msvcc_emergency_support"
LOST_REFER = "no longer gets step refer"


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[model.Pack, model.Pack, impact.Report]:
    """The shipped pack, the same after a real edit, and the impact report between them (the
    shipped pack on purpose: its size and its steps' `replaces` are what the report is checked on
    against every path walked one by one)."""
    folder = tmp_path_factory.mktemp("edited") / "pathways"
    shutil.copytree(loader.shipped_pack_dir(), folder)
    _drop_msvcc_from_nrm_pre(folder)
    old, new = shipped(), loader.load_pack_or_raise(folder)
    return old, new, impact.compare(old, new)


def test_no_change_between_identical_packs(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    pack = loader.load_pack_or_raise(root)
    report = impact.compare(pack, loader.load_pack_or_raise(root))
    assert report.total == len(every_path(pack)) == 24
    assert report.changes == ()
    assert report.render() == f"No change: all {report.total:,} outcomes give the same steps and services.\n"


def test_a_real_edit_is_reported_for_exactly_the_paths_it_touches(edited) -> None:
    old, new, report = edited
    # Independently: the combinations whose new plan lacks the step the old plan had.
    had = {start: [o.answers for o in every_path(old, start) if "msvcc_emergency_support" in o.plan.step_ids()]
           for start in new.starts}
    expected = {(start, answers) for start, paths in had.items()
                for answers, steps in _replayed(new, start, paths).items()
                if "msvcc_emergency_support" not in steps}
    assert expected and {(c.start, c.answers) for c in report.changes} == expected
    # Where it is lost, a step it stood for (`replaces`) comes back: exactly those kinds.
    assert {c.differences for c in report.changes} == {
        (LOST,), ("now gets step nrm_accommodation", LOST), ("now gets step housing_emergency", LOST)}
    assert all(dict(c.answers)["consent_nrm"] == "yes" for c in report.changes)


def test_the_report_groups_changes_and_shows_the_shortest_examples(edited) -> None:
    _, _, report = edited
    text = report.render().splitlines()
    changed = len(report.changes)
    assert text[0] == f"{changed:,} of {report.total:,} outcomes change:"
    groups = {}
    for c in report.changes:
        groups.setdefault(c.differences, []).append(c)
    for differences, members in groups.items():
        at = text.index(f"- {len(members):,} outcomes: {'; '.join(differences)}")
        examples = text[at + 1:at + 1 + impact.Report.EXAMPLES]
        assert all(line.startswith("    from '") for line in examples)
        assert examples[0].count("=") == min(len(c.answers) for c in members)
        assert text[at + 1 + impact.Report.EXAMPLES] == (
            f"    ... and {len(members) - impact.Report.EXAMPLES:,} more")


def _steps(pack, start: str, answers) -> list[str]:  # noqa: ANN001
    return engine.walk(pack, engine.Session(start, answers)).plan().step_ids()


Answers = tuple[tuple[str, str], ...]


def _replayed(pack: model.Pack, start: str, paths: list[Answers]) -> dict[Answers, list[str]]:
    """Return the steps each path's answers lead to in `pack`, as replaying them (`_steps`)
    gives, at the cost of the paths' shared beginnings once: each answer is given with
    `engine.proceed` (the same walk as a replay: test_engine) while `pack` asks, in order, the
    questions the answers hold with one of its options; a path it leaves is replayed whole."""
    found: dict[Answers, list[str]] = {}
    todo = [(engine.walk(pack, engine.Session(start)), 0, paths)]
    while todo:
        walk, depth, group = todo.pop()
        ahead: dict[str, list[Answers]] = {}
        for answers in group:
            if walk.pending is None and len(answers) == depth:
                found[answers] = walk.plan().step_ids()
            elif (walk.pending is not None and len(answers) > depth and answers[depth][0] == walk.pending.fact
                  and answers[depth][1] in walk.pending.values()):
                ahead.setdefault(answers[depth][1], []).append(answers)
            else:
                found[answers] = _steps(pack, start, answers)
        todo += [(engine.proceed(pack, walk, value), depth + 1, members) for value, members in ahead.items()]
    return found


def test_cli_compares_two_folders(cli, tmp_path: Path) -> None:
    old = tiny_pack(tmp_path / "old")
    new = tiny_pack(tmp_path)
    _drop_refer_for_men(new)
    out = cli("impact", str(old), str(new)).stdout
    assert " outcomes change:" in out and LOST_REFER in out
    data = json.loads(cli("impact", str(old), str(new), "--format", "json").stdout)
    assert data["changed"] == len(data["changes"]) > 0
    assert all(LOST_REFER in c["differences"] for c in data["changes"])
    assert all(c["answers"]["gender"] == "male" for c in data["changes"])
    assert "Error" in cli("impact", str(old), code=2).stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_cli_compares_with_a_git_ref(cli, tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    repo = root.parent

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    git("init", "-q")
    git("add", root.name)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    _drop_refer_for_men(root)
    out = cli("impact", "--git-ref", "HEAD", str(root)).stdout
    assert LOST_REFER in out
    assert "not-a-ref" in cli("impact", "--git-ref", "not-a-ref", str(root), code=2).stderr


def test_git_ref_without_a_pack_folder_is_a_usage_error(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "no pack folder 'pathways'" in cli("impact", "--git-ref", "HEAD", code=2).stderr


def _drop_refer_nrm_from_the_child_step(pack_dir: Path) -> None:
    edit(pack_dir / "visit.yaml", "steps: [safeguarding_children, refer_nrm]", "steps: [safeguarding_children]")


def test_fail_on_safety_fails_for_a_lost_contract_step_only(cli, tmp_path: Path) -> None:
    old = tiny_pack(tmp_path / "old")
    reworded = tiny_pack(tmp_path / "reworded")
    edit(reworded / "directory" / "steps.yaml", "    text: Call 999 now.", "    text: Phone 999 now.")
    assert "No change" in cli("impact", str(old), str(reworded), "--fail-on", "safety").stdout
    new = tiny_pack(tmp_path)
    _drop_refer_for_men(new)  # not a contract step: a change, but not a safety one
    out = cli("impact", str(old), str(new), "--fail-on", "safety").stdout
    assert LOST_REFER in out and "safety" not in out
    cli("impact", str(old), str(new), "--fail-on", "any", code=1)
    _drop_refer_nrm_from_the_child_step(new)
    out = cli("impact", str(old), str(new), "--fail-on", "safety", code=1).stdout
    assert "gain or lose a step the contract fixes: refer_nrm" in out
    data = json.loads(cli("impact", str(old), str(new), "--format", "json").stdout)
    lost = [c for c in data["changes"] if c["contract"]]
    assert data["safety"] == len(lost) > 0
    assert all(c["contract"] == ["refer_nrm"] and c["answers"]["under_18"] != "no" for c in lost)


def test_markdown_groups_by_pathway_with_the_shortest_examples(cli, tmp_path: Path) -> None:
    old = tiny_pack(tmp_path / "old", "pair")
    new = tiny_pack(tmp_path, "pair")
    status = new / "status.yaml"
    edit(status, "steps: [confirm_nrm_status]", "steps: [refer]")  # a contract step, from both starts
    edit(status, "      - value: male\n        next: s_refer\n", "      - value: male\n        next: v_services\n")
    report = impact.compare(loader.load_pack_or_raise(old), loader.load_pack_or_raise(new))
    md = cli("impact", str(old), str(new), "--format", "markdown").stdout
    assert md == report.markdown()
    lines = md.splitlines()
    assert lines[0] == "## What this change does to the advice"
    assert lines[2] == f"**{len(report.changes):,} of {report.total:,} outcomes change.**"
    assert lines[3] == "" and lines[4].startswith(f"**Safety: {len(report.safety):,} outcomes gain or lose")
    starts = sorted({c.start for c in report.changes})
    headings = [l for l in lines if l.startswith("### ")]
    assert headings == [f"### From `{s}` ({sum(c.start == s for c in report.changes):,} outcomes)"
                        for s in starts]
    first = lines.index(headings[0]) + 2
    assert len(headings) == 2  # from `status` and from `visit`, which hands over to it
    assert lines[first].startswith("- **safety** ") and "no longer gets step confirm_nrm_status" in lines[first]
    members = [c for c in report.changes if c.start == starts[0] and c.contract]
    shortest = min(len(c.answers) for c in members if c.differences == members[0].differences)
    assert lines[first + 1].startswith("  - `") and lines[first + 1].count("=") == shortest


def _brute_force(pack: model.Pack, start: str) -> list[explore.Ending]:
    return [explore.Ending(o.answers, tuple(o.plan.step_ids()), tuple(o.plan.service_ids()))
            for o in explore.outcomes(pack, start)]


def _gendered(pack_dir: Path) -> Path:
    """Make the tiny pack's one table row depend on gender as well as the NRM status."""
    edit(pack_dir / "directory" / "eligibility.yaml", "    cells: {not_in_nrm: true}\n",
         "    cells: {not_in_nrm: true}\n    genders: {female: \"yes\", male: check}\n")
    return pack_dir


def test_two_packs_with_the_same_plans_report_no_change(tmp_path: Path) -> None:
    """A plan-neutral edit (a node renamed, a question reworded) changes nothing: `impact` must
    never report a change the engine does not make. The table is the only reader of `gender`
    here (every option of the gender question goes the same way), so this is the case where a
    table input missing from what `ahead` knows merged paths of different genders."""
    root = _gendered(tiny_pack(tmp_path))
    old = loader.load_pack_or_raise(root)
    target = root / "visit.yaml"
    assert target.read_text().count("q_gender") == 3
    edit(target, "q_gender", "q_person_gender", count=-1)
    new = loader.load_pack_or_raise(root)
    table = next(iter(new.tables.values()))
    assert nodes.table_reads(new, table) == {"nrm_status", "gender"}
    assert impact.compare(old, new).changes == ()
    # The merged-state reading agrees with walking every path, in both packs.
    for one in (old, new):
        assert explore.Endings(one)("visit") == _brute_force(one, "visit")


def test_the_table_reads_what_its_columns_and_rows_name(tmp_path: Path) -> None:
    """What the table reads is derived, never declared: a table declaring `inputs` is refused,
    and a table whose rows say nothing of gender does not read it."""
    root = _gendered(tiny_pack(tmp_path))
    pack = loader.load_pack_or_raise(root)
    target = root / "directory" / "eligibility.yaml"
    text = target.read_text()
    edit(target, "hit_policy: collect\n", "hit_policy: collect\ninputs: [nrm_status]\n")
    result = loader.load_pack(root)
    assert result.pack is None
    assert [(p.rule, p.line) for p in result.errors] == [
        ("schema", text.splitlines().index("hit_policy: collect") + 2)]
    table = next(iter(pack.tables.values()))
    assert nodes.table_reads(pack, table) == {"nrm_status", "gender"}
    ungendered = table.model_copy(update={"rows": [r.model_copy(update={"genders": None})
                                                   for r in table.rows]})
    assert nodes.table_reads(pack, ungendered) == {"nrm_status"}
