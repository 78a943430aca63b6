"""A pathway as a diagram (Mermaid or Graphviz DOT): questions, answers on arrows, steps, hand-offs.

Pure: the text is built from `graph.targets`, the same definition of "where a node can go" that
the loader's checks use, so a diagram cannot show an edge the engine would not follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ms_navigator import graph, model


@dataclass(frozen=True)
class Edge:
    """An arrow between two nodes of one pathway, with the words on it (may be empty)."""

    source: str
    target: str
    label: str


def condition_text(cond: model.Condition) -> str:
    """Return a condition in words, e.g. 'under_18 is yes or unsure'."""
    if isinstance(cond, model.FactIn):
        return f"{cond.fact} is {' or '.join(cond.in_)}"
    if isinstance(cond, model.Known):
        return f"{cond.known} already answered"
    if isinstance(cond, model.AllOf):
        return " and ".join(f"({condition_text(c)})" for c in cond.all)
    if isinstance(cond, model.AnyOf):
        return " or ".join(f"({condition_text(c)})" for c in cond.any)
    return f"not ({condition_text(cond.not_)})"


def edges(pack: model.Pack, pathway: model.Pathway) -> Iterator[Edge]:
    """Yield every arrow of the pathway, labelled with the answer or condition that takes it."""
    for node in pathway.nodes:
        for loc, target in graph.targets(node):
            yield Edge(node.id, target, _edge_label(pack, node, loc))


def _edge_label(pack: model.Pack, node: model.Node, loc: tuple[object, ...]) -> str:
    if isinstance(node, model.QuestionNode):
        option = node.options[int(str(loc[1]))]
        return option.label or pack.facts[node.fact].label(option.value)
    if isinstance(node, model.BranchNode):
        if loc == ("otherwise",):
            return "otherwise"
        return condition_text(node.routes[int(str(loc[1]))].when)
    if isinstance(node, model.GotoNode):
        return f"after {node.pathway}"
    return ""


def node_text(pack: model.Pack, node: model.Node) -> str:
    """Return what a node does, in a few words, for a box in a diagram."""
    if isinstance(node, model.QuestionNode):
        return node.text
    if isinstance(node, model.StepNode):
        return "Do: " + "; ".join(f"{pack.steps[s].id} ({pack.steps[s].urgency.value})" for s in node.steps)
    if isinstance(node, model.InfoNode):
        return f"Guidance: {node.title}"
    if isinstance(node, model.ServicesNode):
        return "Services: " + ", ".join(([f"table {node.table}"] if node.table else []) + node.services)
    if isinstance(node, model.BranchNode):
        return "Check the answers so far"
    if isinstance(node, model.GotoNode):
        target = pack.pathways.get(node.pathway)
        name = f"{target.title} ({target.section})" if target else node.pathway
        return f"Go to pathway: {name}" + (", then come back" if node.next else "")
    return "End"


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


def mermaid(pack: model.Pack, pathway: model.Pathway) -> str:
    """Return the pathway as a Mermaid flowchart (top to bottom)."""
    out = ["flowchart TD"]
    for node in pathway.nodes:
        left, right = _MERMAID_SHAPES[type(node)]
        out.append(f'    {_safe_id(node.id)}{left}"{_mermaid_text(node_text(pack, node))}"{right}')
    for edge in edges(pack, pathway):
        arrow = f'-->|"{_mermaid_text(edge.label)}"|' if edge.label else "-->"
        out.append(f"    {_safe_id(edge.source)} {arrow} {_safe_id(edge.target)}")
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


def dot(pack: model.Pack, pathway: model.Pathway) -> str:
    """Return the pathway as a Graphviz DOT digraph."""
    out = [f'digraph "{_dot_text(pathway.id)}" {{',
           f'    label="{_dot_text(pathway.title)} (protocol {pathway.section})";',
           "    node [fontname=\"sans-serif\"];"]
    for node in pathway.nodes:
        out.append(f'    "{node.id}" [shape={_DOT_SHAPES[type(node)]}, '
                   f'label="{_dot_text(node_text(pack, node))}"];')
    for edge in edges(pack, pathway):
        label = f' [label="{_dot_text(edge.label)}"]' if edge.label else ""
        out.append(f'    "{edge.source}" -> "{edge.target}"{label};')
    out.append("}")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[model.Pack, model.Pathway], str]] = {"mermaid": mermaid, "dot": dot}
"""Diagram formats by name, for `ms-navigator diagram --format`."""
