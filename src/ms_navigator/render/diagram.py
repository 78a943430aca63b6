"""A pathway as a diagram (Mermaid or Graphviz DOT): questions, answers on arrows, steps, hand-offs.

Pure: the text is built from `graph.targets`, the same definition of "where a node can go" that
the loader's checks use, so a diagram cannot show an edge the engine would not follow. Boxes
and arrows carry words, never ids (`wording`): a step shows its summary and its urgency as a
word; labels are wrapped so that the picture stays narrow enough to read on a projector.
The SVG for the trainers' site is drawn from the same edges by `render.svg`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ms_navigator import graph, model, wording

WRAP = 28
"""Characters a line in a Mermaid or DOT label, so that no box is wider than a short sentence."""


@dataclass(frozen=True)
class Edge:
    """An arrow between two nodes of one pathway, with the words on it (may be empty)."""

    source: str
    target: str
    label: str


def edges(pack: model.Pack, pathway: model.Pathway) -> Iterator[Edge]:
    """Yield every arrow of the pathway, labelled with the answer or condition that takes it."""
    for node in pathway.nodes:
        for loc, target in graph.targets(node):
            yield Edge(node.id, target, _edge_label(pack, node, loc))


def _edge_label(pack: model.Pack, node: model.Node, loc: tuple[object, ...]) -> str:
    if isinstance(node, model.QuestionNode):
        return wording.option_label(pack, node, node.options[int(str(loc[1]))])
    if isinstance(node, model.BranchNode):
        if loc == ("otherwise",):
            return "Otherwise"
        return wording.condition_words(pack, node.routes[int(str(loc[1]))].when)
    if isinstance(node, model.GotoNode):
        return f"After {wording.pathway_name(pack, node.pathway)}"
    return ""


def node_text(pack: model.Pack, node: model.Node) -> str:
    """Return what a node does, in words, on one line: its kind, then what it says."""
    return f"{wording.node_kind(pack, node).capitalize()}: " + "; ".join(wording.node_lines(pack, node))


def _lines(pack: model.Pack, node: model.Node) -> list[str]:
    out = [wording.node_kind(pack, node)]
    for item in wording.node_lines(pack, node):
        out += textwrap.wrap(item, WRAP) or [item]
    return out


def _safe_id(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


_MERMAID_SHAPES: dict[type, tuple[str, str]] = {
    model.QuestionNode: ("{", "}"),
    model.StepNode: ("[", "]"),
    model.InfoNode: ("([", "])"),
    model.ServicesNode: ("[[", "]]"),
    model.BranchNode: ("{{", "}}"),
    model.GotoNode: (">", "]"),
    model.EndNode: ("((", "))"),
}


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def _mermaid_label(lines: list[str]) -> str:
    return "<br/>".join(_mermaid_text(line) for line in lines)


def mermaid(pack: model.Pack, pathway: model.Pathway) -> str:
    """Return the pathway as a Mermaid flowchart, left to right for a wide screen."""
    out = ["flowchart LR"]
    for node in pathway.nodes:
        left, right = _MERMAID_SHAPES[type(node)]
        out.append(f'    {_safe_id(node.id)}{left}"{_mermaid_label(_lines(pack, node))}"{right}')
    for edge in edges(pack, pathway):
        label = _mermaid_label(textwrap.wrap(edge.label, WRAP))
        arrow = f'-->|"{label}"|' if edge.label else "-->"
        out.append(f"    {_safe_id(edge.source)} {arrow} {_safe_id(edge.target)}")
    out.append("    classDef now stroke-width:4px,stroke:#a4000f")
    now = [_safe_id(n.id) for n in pathway.nodes if wording.node_kind(pack, n) == "DO NOW"]
    if now:
        out.append(f"    class {','.join(now)} now")
    return "\n".join(out) + "\n"


_DOT_SHAPES: dict[type, str] = {
    model.QuestionNode: "diamond",
    model.StepNode: "box",
    model.InfoNode: "note",
    model.ServicesNode: "box3d",
    model.BranchNode: "hexagon",
    model.GotoNode: "cds",
    model.EndNode: "doublecircle",
}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _dot_label(lines: list[str]) -> str:
    return "\\n".join(_dot_text(line) for line in lines)


def dot(pack: model.Pack, pathway: model.Pathway) -> str:
    """Return the pathway as a Graphviz DOT digraph, left to right, urgent steps with a double border."""
    out = [f'digraph "{_dot_text(pathway.id)}" {{',
           f'    label="{_dot_text(pathway.title)} (protocol {pathway.section})";',
           "    rankdir=LR;",
           "    node [fontname=\"sans-serif\", fontsize=14];",
           "    edge [fontname=\"sans-serif\", fontsize=12];"]
    for node in pathway.nodes:
        urgent = ", peripheries=2, penwidth=2" if wording.node_kind(pack, node) == "DO NOW" else ""
        out.append(f'    "{node.id}" [shape={_DOT_SHAPES[type(node)]}, '
                   f'label="{_dot_label(_lines(pack, node))}"{urgent}];')
    for edge in edges(pack, pathway):
        label = f' [label="{_dot_label(textwrap.wrap(edge.label, WRAP))}"]' if edge.label else ""
        out.append(f'    "{edge.source}" -> "{edge.target}"{label};')
    out.append("}")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[model.Pack, model.Pathway], str]] = {"mermaid": mermaid, "dot": dot}
"""Diagram formats by name, for `ms-navigator diagram --format`."""
