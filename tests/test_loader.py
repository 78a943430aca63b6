"""Loading the pack: the shipped one loads clean; broken files are reported at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_navigator import loader
from ms_navigator.errors import PackError
from tests.helpers import edit, line_of


def problems_for(directory: Path) -> list[tuple[str, str, int, int]]:
    result = loader.load_pack(directory)
    return [(Path(p.path).name, p.rule, p.line, p.column) for p in result.problems]


def test_shipped_pack_loads_with_no_problems() -> None:
    result = loader.load_pack()
    assert result.problems == []
    assert result.pack is not None
    assert {"identification", "nrm-pre", "nrm-during", "nrm-post", "specialist-support"} <= set(
        result.pack.pathways)


def test_shipped_pack_is_found_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert loader.load_pack().pack is not None


def test_unknown_next_node_is_reported_at_its_line(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    edit(target, "next: s_notify", "next: s_nowhere")
    line = line_of(target, "next: s_nowhere")
    assert problems_for(pack_copy) == [("nrm-pre.yaml", "unknown-node", line, 15)]


def test_unknown_key_suggests_the_right_one(pack_copy: Path) -> None:
    target = pack_copy / "identification.yaml"
    edit(target, "    why: Safety comes first.", "    whyy: Safety comes first.")
    result = loader.load_pack(pack_copy)
    [problem] = result.problems
    assert (problem.rule, problem.line, problem.column) == ("schema", line_of(target, "whyy:"), 5)
    assert "unknown key 'whyy'" in problem.message and "Did you mean 'why'?" in problem.message


def test_missing_source_is_reported_at_the_node(pack_copy: Path) -> None:
    target = pack_copy / "nrm-post.yaml"
    text = target.read_text()
    marker = "  - id: s_call_999\n    type: step\n    steps: [call_999]\n"
    node_line = text[: text.index(marker)].count("\n") + 1
    edit(target, marker + '    source: "Coventry Protocol 4.1; reference notes section 2 (V)"\n', marker)
    result = loader.load_pack(pack_copy)
    [problem] = result.problems
    assert (problem.rule, problem.line) == ("schema", node_line)
    assert "missing required key 'source'" in problem.message


def test_yes_unquoted_in_an_option_is_still_text(pack_copy: Path) -> None:
    edit(pack_copy / "identification.yaml", '      - value: "yes"\n        next: s_call_999',
         "      - value: yes\n        next: s_call_999")
    assert loader.load_pack(pack_copy).problems == []


def test_true_as_an_option_value_is_explained(pack_copy: Path) -> None:
    target = pack_copy / "identification.yaml"
    edit(target, '      - value: "yes"\n        next: s_call_999', "      - value: true\n        next: s_call_999")
    [problem] = loader.load_pack(pack_copy).problems
    assert problem.line == line_of(target, "value: true")
    assert "quote it" in problem.message


def test_option_value_not_allowed_by_its_fact(pack_copy: Path) -> None:
    target = pack_copy / "nrm-pre.yaml"
    edit(target, "      - value: awaiting_rg\n", "      - value: waiting\n")
    [problem] = loader.load_pack(pack_copy).problems
    assert (problem.rule, problem.line) == ("unknown-value", line_of(target, "value: waiting"))


def test_duplicate_node_id(pack_copy: Path) -> None:
    target = pack_copy / "nrm-post.yaml"
    edit(target, "  - id: g_during\n", "  - id: g_pre\n")
    rules = {p.rule for p in loader.load_pack(pack_copy).problems}
    assert "duplicate-id" in rules


def test_unknown_step_service_contact_and_pathway(pack_copy: Path) -> None:
    edit(pack_copy / "nrm-pre.yaml", "steps: [notify_dtn]", "steps: [notify]")
    edit(pack_copy / "nrm-pre.yaml", "pathway: nrm-during", "pathway: nrm-durin")
    edit(pack_copy / "directory" / "services.yaml", "contact: kairos", "contact: kairos-x")
    edit(pack_copy / "directory" / "eligibility.yaml", "service: adavu", "service: adavoo")
    rules = sorted(p.rule for p in loader.load_pack(pack_copy).problems)
    assert rules == ["unknown-contact", "unknown-pathway", "unknown-service", "unknown-step"]


def test_bad_node_type_lists_the_types(pack_copy: Path) -> None:
    edit(pack_copy / "nrm-pre.yaml", "    type: info\n", "    type: note\n")
    [problem] = loader.load_pack(pack_copy).problems
    assert "unknown node type 'note'" in problem.message and "question" in problem.message


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"- a\n- b\n", "a list, not a mapping"), (b"just text\n", "not a mapping")],
)
def test_top_level_must_be_a_mapping(pack_copy: Path, content: bytes, words: str) -> None:
    (pack_copy / "nrm-post.yaml").write_bytes(content)
    [problem] = loader.load_pack(pack_copy).problems
    assert (Path(problem.path).name, problem.line) == ("nrm-post.yaml", 1)
    assert words in problem.message


def test_missing_directory_file_and_folder(pack_copy: Path, tmp_path: Path) -> None:
    (pack_copy / "directory" / "steps.yaml").unlink()
    [problem] = loader.load_pack(pack_copy).problems
    assert problem.rule == "file" and "no such file" in problem.message
    assert loader.load_pack(tmp_path / "nowhere").problems[0].rule == "file"


def test_every_broken_file_is_reported_not_only_the_first(pack_copy: Path) -> None:
    (pack_copy / "nrm-post.yaml").write_text("id: [\n")
    (pack_copy / "nrm-during.yaml").write_text("a: 1\na: 2\n")
    paths = {Path(p.path).name for p in loader.load_pack(pack_copy).problems}
    assert {"nrm-post.yaml", "nrm-during.yaml"} <= paths


def test_load_or_raise_carries_the_problems(pack_copy: Path) -> None:
    edit(pack_copy / "nrm-pre.yaml", "next: s_notify", "next: s_nowhere")
    with pytest.raises(PackError) as caught:
        loader.load_pack_or_raise(pack_copy)
    assert "nrm-pre.yaml" in str(caught.value) and "s_nowhere" in str(caught.value)
