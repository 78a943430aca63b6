"""Loading the pack: the shipped one loads clean; broken files (of a small fixture pack) are
reported at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_navigator import loader
from ms_navigator.errors import PackError
from tests.helpers import edit, line_of, tiny_pack


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


def test_unknown_next_node_is_reported_at_its_line(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    target = root / "status.yaml"
    edit(target, "next: s_confirm", "next: s_nowhere")
    line = line_of(target, "next: s_nowhere")
    assert problems_for(root) == [("status.yaml", "unknown-node", line, 15)]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    target = root / "visit.yaml"
    edit(target, "    why: Safety comes first.", "    whyy: Safety comes first.")
    result = loader.load_pack(root)
    [problem] = result.problems
    assert (problem.rule, problem.line, problem.column) == ("schema", line_of(target, "whyy:"), 5)
    assert "unknown key 'whyy'" in problem.message and "Did you mean 'why'?" in problem.message


def test_missing_source_is_reported_at_the_node(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    target = root / "visit.yaml"
    text = target.read_text()
    marker = "  - id: s_call\n    type: step\n    steps: [call_999]\n"
    node_line = text[: text.index(marker)].count("\n") + 1
    edit(target, marker + "    source: test\n", marker)
    result = loader.load_pack(root)
    [problem] = result.problems
    assert (problem.rule, problem.line) == ("schema", node_line)
    assert "missing required key 'source'" in problem.message


def test_yes_unquoted_in_an_option_is_still_text(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", '{value: "yes", next: s_call}', "{value: yes, next: s_call}")
    assert loader.load_pack(root).problems == []


def test_true_as_an_option_value_is_explained(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    target = root / "visit.yaml"
    edit(target, '{value: "yes", next: s_call}', "{value: true, next: s_call}")
    [problem] = loader.load_pack(root).problems
    assert problem.line == line_of(target, "value: true")
    assert "quote it" in problem.message


def test_option_value_not_allowed_by_its_fact(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    target = root / "visit.yaml"
    edit(target, "{value: unknown, next: s_confirm}", "{value: waiting, next: s_confirm}")
    [problem] = loader.load_pack(root).problems
    assert (problem.rule, problem.line) == ("unknown-value", line_of(target, "value: waiting"))


def test_duplicate_node_id(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "  - id: s_confirm\n", "  - id: s_child\n")
    rules = {p.rule for p in loader.load_pack(root).problems}
    assert "duplicate-id" in rules


def test_unknown_step_service_contact_and_pathway(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    edit(root / "status.yaml", "steps: [refer]", "steps: [refe]")
    edit(root / "visit.yaml", "pathway: status", "pathway: statu")
    edit(root / "directory" / "services.yaml", "contact: helpline", "contact: helpline-x")
    edit(root / "directory" / "eligibility.yaml", "service: advocacy", "service: advocay")
    rules = sorted(p.rule for p in loader.load_pack(root).problems)
    assert rules == ["unknown-contact", "unknown-pathway", "unknown-service", "unknown-step"]


def test_bad_node_type_lists_the_types(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    edit(root / "visit.yaml", "    type: info\n", "    type: note\n")
    [problem] = loader.load_pack(root).problems
    assert "unknown node type 'note'" in problem.message and "question" in problem.message


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"- a\n- b\n", "a list, not a mapping"), (b"just text\n", "not a mapping")],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, content: bytes, words: str) -> None:
    root = tiny_pack(tmp_path, "pair")
    (root / "status.yaml").write_bytes(content)
    [problem] = loader.load_pack(root).problems
    assert (Path(problem.path).name, problem.line) == ("status.yaml", 1)
    assert words in problem.message


def test_missing_directory_file_and_folder(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    (root / "directory" / "steps.yaml").unlink()
    [problem] = loader.load_pack(root).problems
    assert problem.rule == "file" and "no such file" in problem.message
    assert loader.load_pack(tmp_path / "nowhere").problems[0].rule == "file"


def test_every_broken_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path, "pair")
    (root / "visit.yaml").write_text("id: [\n")
    (root / "status.yaml").write_text("a: 1\na: 2\n")
    paths = {Path(p.path).name for p in loader.load_pack(root).problems}
    assert {"visit.yaml", "status.yaml"} <= paths


def test_load_or_raise_carries_the_problems(tmp_path: Path) -> None:
    root = tiny_pack(tmp_path)
    edit(root / "visit.yaml", "next: q_status", "next: s_nowhere")
    with pytest.raises(PackError) as caught:
        loader.load_pack_or_raise(root)
    assert "visit.yaml" in str(caught.value) and "s_nowhere" in str(caught.value)


def test_loaded_models_share_their_fields_given_and_a_copy_never_changes_the_shared_set(
        tmp_path: Path) -> None:
    """The loader shares one set of the fields given among the models that were given the
    same fields (it is most of a small model's memory); pydantic must copy it before it
    changes it, or a copy with an update would change what every other model says it was given."""
    pack = loader.load_pack_or_raise(tiny_pack(tmp_path))
    options = [o for p in pack.pathways.values() for n in p.nodes for o in getattr(n, "options", [])]
    same = [o for o in options if o.model_fields_set == options[0].model_fields_set]
    assert len(same) >= 2 and same[0].__pydantic_fields_set__ is same[1].__pydantic_fields_set__
    before = set(same[1].model_fields_set)
    unset = next(name for name in type(same[0]).model_fields if name not in before)
    copied = same[0].model_copy(update={unset: getattr(same[0], unset)})
    assert unset in copied.model_fields_set
    assert same[1].model_fields_set == before and same[0].model_fields_set == before
