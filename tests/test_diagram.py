"""Diagrams and generated pathway pages: every node and every edge drawn, pages never stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ms_navigator import graph, loader, wording
from ms_navigator.render import diagram, pathway_page

DOCS = Path(__file__).resolve().parents[1] / "docs" / "pathways"
PATHWAYS = sorted(loader.load_pack_or_raise().pathways)


def expected_edges(pathway) -> set[tuple[str, str]]:
    return {(node.id, target) for node in pathway.nodes for _, target in graph.targets(node)}


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_mermaid_draws_every_node_and_edge(pack, pathway_id: str) -> None:
    pathway = pack.pathway(pathway_id)
    text = diagram.mermaid(pack, pathway)
    nodes = set(re.findall(r"^    n_(\w+)[\[\{\(>]", text, re.MULTILINE))
    edges = re.findall(r"^    n_(\w+) -->(?:\|\"[^\"]*\"\|)? n_(\w+)$", text, re.MULTILINE)
    assert nodes == {n.id.replace("-", "_") for n in pathway.nodes}
    assert set(edges) == {(a.replace("-", "_"), b.replace("-", "_")) for a, b in expected_edges(pathway)}
    assert len(edges) == len(list(diagram.edges(pack, pathway)))


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_dot_draws_every_node_and_edge(pack, pathway_id: str) -> None:
    pathway = pack.pathway(pathway_id)
    text = diagram.dot(pack, pathway)
    nodes = set(re.findall(r'^    "([\w-]+)" \[shape=', text, re.MULTILINE))
    edges = set(re.findall(r'^    "([\w-]+)" -> "([\w-]+)"', text, re.MULTILINE))
    assert nodes == {n.id for n in pathway.nodes}
    assert edges == expected_edges(pathway)


def test_answers_are_written_on_the_arrows_in_wrapped_words(pack) -> None:
    text = diagram.mermaid(pack, pack.pathway("identification"))
    assert ('n_q_under_18 -->|"Not sure (treated as under<br/>18 until their age is<br/>assessed)"| n_i_child'
            in text)
    assert 'n_g_nrm>"GO TO<br/>Go to: Pre-NRM (4.2.1)"]' in text
    assert 'n_s_call_999["DO NOW<br/>Call 999 now, keep yourself<br/>safe' in text  # urgency in words too


def test_no_step_id_or_raw_condition_is_drawn(pack) -> None:
    """Boxes and arrows carry words: a step's summary (or a short form of its text), never its id."""
    for pathway in pack.pathways.values():
        for render, label in ((diagram.mermaid, r'"([^"]*)"'), (diagram.dot, r'label="([^"]*)"')):
            labels = " ".join(re.findall(label, render(pack, pathway)))
            for step_id in pack.steps:
                if "_" in step_id:
                    assert step_id not in labels, (pathway.id, step_id)
            assert " is yes" not in labels and "already answered" not in labels


def test_quotes_in_labels_cannot_break_the_diagram() -> None:
    assert diagram._mermaid_text('say "no"') == "say #quot;no#quot;"
    assert diagram._dot_text('say "no"') == 'say \\"no\\"'


def test_branch_conditions_read_as_the_question_and_its_answers(pack) -> None:
    from ms_navigator import model, wording

    cond = model.AnyOf.model_validate({"any": [{"fact": "under_18", "in": ["yes", "unsure"]},
                                               {"not": {"fact": "gender", "in": ["male"]}}]})
    words = wording.condition_words(pack, cond)
    assert words.startswith("Could the person be under 18? Yes, under 18 or Not sure")
    assert "; or " in words and "Male" not in words  # "not male": the other answers, in words


def test_generated_pathway_pages_are_up_to_date(pack) -> None:
    stale = pathway_page.stale(pathway_page.pages(pack), DOCS)
    assert not stale, f"run: ms-navigator docs --write docs/pathways (stale: {stale})"


def test_each_page_lists_the_source_of_every_node(pack) -> None:
    for pathway in pack.pathways.values():
        text = pathway_page.page(pack, pathway)
        for node in pathway.nodes:
            assert f"| `{node.id}` | {node.type} |" in text


def test_docs_check_fails_on_a_stale_folder(cli, tmp_path: Path) -> None:
    cli("docs", "--write", str(tmp_path))
    cli("docs", "--check", str(tmp_path))
    (tmp_path / "identification.md").write_text("old\n")
    (tmp_path / "gone.md").write_text("a pathway that no longer exists\n")
    out = cli("docs", "--check", str(tmp_path), code=1).stdout
    assert "identification.md: out of date" in out and "gone.md: out of date" in out


def test_diagram_command(cli) -> None:
    assert cli("diagram", "nrm-pre").stdout.startswith("flowchart LR\n")
    assert cli("diagram", "nrm-pre", "--format", "dot").stdout.startswith('digraph "nrm-pre" {')
    assert "no pathway 'nope'" in cli("diagram", "nope", code=2).stderr


def test_a_pathway_page_gives_each_step_its_words_for_every_reader(pack) -> None:
    """Beneath a step's default words, each variant: when it is used, and what it says."""
    step = pack.steps["stay_point_of_contact"]
    [variant] = step.variants
    text = pathway_page.page(pack, pack.pathways["nrm-post"])
    line = f"- `stay_point_of_contact` ({step.urgency.value}): {' '.join(step.text.split())}\n"
    assert line + f"  - *Instead, when: {wording.condition_words(pack, variant.when)}.* " \
        f"{' '.join(variant.text.split())}\n" in text
