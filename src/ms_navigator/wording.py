"""Short words for steps, conditions and nodes: what a diagram, a quiz or a web page shows instead of ids.

Pure. A step shows its one-sentence `summary` (cut at a word where a diagram has no room for
all of it).
"""

from __future__ import annotations

from ms_navigator import model

SHORT = 90
"""Longest short form of a text, in characters, before it is cut at a word and ends with '...'."""

URGENCY_TAGS = {
    model.Urgency.NOW: "NOW",
    model.Urgency.TODAY: "TODAY",
    model.Urgency.SOON: "SOON",
    model.Urgency.ONGOING: "ONGOING",
}
"""Urgency in one word, for labels that must not rely on colour."""


def short(text: str, limit: int = SHORT) -> str:
    """Return the first sentence of a text, cut at a word to at most `limit` characters."""
    text = " ".join(text.split())
    end = text.find(". ")
    return cut(text[: end + 1] if end >= 0 else text, limit)


def cut(text: str, limit: int) -> str:
    """Return the text cut at a word to at most `limit` characters (ending '…' when cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def step_summary(step: model.StepDef, limit: int = SHORT) -> str:
    """Return the step's one-sentence summary, cut at a word to `limit` characters (a diagram
    box has room for no more); a terminal, which wraps, passes a large `limit`."""
    return cut(step.summary, limit)


def _asking(pack: model.Pack, fact: str) -> str:
    """Return the words of the question that sets a fact (or what the fact means)."""
    for pathway in pack.pathways.values():
        for node in pathway.nodes:
            if isinstance(node, model.QuestionNode) and node.fact == fact:
                return node.text
    known = pack.facts.get(fact)
    return known.meaning.rstrip(".") if known else fact


def _labels(pack: model.Pack, fact: str, values: list[str]) -> str:
    known = pack.facts.get(fact)
    return " or ".join(known.label(v) if known else v for v in values)


def condition_words(pack: model.Pack, cond: model.Condition) -> str:
    """Return a condition in words: the question, then the answers that make it true."""
    if isinstance(cond, model.FactIn):
        return f"{_asking(pack, cond.fact)} {_labels(pack, cond.fact, cond.in_)}"
    if isinstance(cond, model.Known):
        return f"Already asked: {_asking(pack, cond.known)}"
    if isinstance(cond, model.AllOf):
        return "; and ".join(condition_words(pack, c) for c in cond.all)
    if isinstance(cond, model.AnyOf):
        return "; or ".join(condition_words(pack, c) for c in cond.any)
    inner = cond.not_
    if isinstance(inner, model.FactIn) and inner.fact in pack.facts:
        others = [v for v in pack.facts[inner.fact].allowed() if v not in inner.in_]
        asked = _asking(pack, inner.fact)
        return f"{asked} {_labels(pack, inner.fact, others)}" if others else f"Not asked: {asked}"
    if isinstance(inner, model.Known):
        return f"Not yet asked: {_asking(pack, inner.known)}"
    return f"Not so: {condition_words(pack, inner)}"


def variants(pack: model.Pack, step: model.StepDef) -> list[tuple[str, str]]:
    """Return, for each of a step's `variants` in order, when it is used (in words) and the words
    it shows instead: a page describing a pathway shows every reader's words, not only the
    default ones. Where several hold, the engine uses the first."""
    return [(condition_words(pack, v.when), " ".join(v.text.split())) for v in step.variants]


def option_label(pack: model.Pack, node: model.QuestionNode, option: model.Option) -> str:
    """Return the words of an answer as the user sees them."""
    return option.label or pack.facts[node.fact].label(option.value)


def pathway_name(pack: model.Pack, pathway_id: str) -> str:
    """Return a pathway's title and protocol section, e.g. 'Pre-NRM (4.2.1)'."""
    target = pack.pathways.get(pathway_id)
    return f"{target.title} ({target.section})" if target else pathway_id


def service_names(pack: model.Pack, node: model.ServicesNode) -> list[str]:
    """Return what a services node adds, in words: the table's title, then each service's name."""
    names = []
    if node.table:
        table = pack.tables.get(node.table)
        names.append(f"those the {table.title} table opens (protocol {table.section})" if table
                      else node.table)
    names += [pack.services[s].name if s in pack.services else s for s in node.services]
    return names


def node_kind(pack: model.Pack, node: model.Node) -> str:
    """Return the kind of a node in one or two words, with a step's most urgent urgency."""
    if isinstance(node, model.StepNode):
        urgencies = [pack.steps[s].urgency for s in node.steps if s in pack.steps]
        order = list(model.Urgency)
        top = min(urgencies, key=order.index) if urgencies else model.Urgency.ONGOING
        return f"DO {URGENCY_TAGS[top]}"
    return {model.QuestionNode: "QUESTION", model.InfoNode: "GUIDANCE",
            model.ServicesNode: "SERVICES", model.BranchNode: "CHECK",
            model.GotoNode: "GO TO", model.EndNode: "END"}[type(node)]


def node_lines(pack: model.Pack, node: model.Node) -> list[str]:
    """Return what a node says, as separate items (a step node lists each step with its urgency)."""
    if isinstance(node, model.QuestionNode):
        return [node.text]
    if isinstance(node, model.StepNode):
        steps = [pack.steps[s] for s in node.steps if s in pack.steps]
        if len(steps) == 1:  # its urgency is in the node's kind ("DO NOW")
            return [step_summary(steps[0])]
        if len({s.urgency for s in steps}) == 1:
            return [f"• {step_summary(s)}" for s in steps]
        return [f"{URGENCY_TAGS[s.urgency]}: {step_summary(s)}" for s in steps]
    if isinstance(node, model.InfoNode):
        return [node.title]
    if isinstance(node, model.ServicesNode):
        return ["Add services: " + "; ".join(service_names(pack, node))]
    if isinstance(node, model.BranchNode):
        return ["Check the answers so far"]
    if isinstance(node, model.GotoNode):
        return [f"Go to: {pathway_name(pack, node.pathway)}"
                + ("; then come back here" if node.next else "")]
    return ["End of this pathway"]
