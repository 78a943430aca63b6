"""Rich renderables for the terminal: the plan, questions' context, pathway trees, problems."""

from __future__ import annotations

import os
import shutil

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ms_navigator import eligibility, graph, model
from ms_navigator.engine import Answered, Guidance, Plan, Question
from ms_navigator.model import URGENCY_LABELS

_URGENCY_STYLE = {
    model.Urgency.NOW: "bold red",
    model.Urgency.TODAY: "bold yellow",
    model.Urgency.SOON: "bold",
    model.Urgency.ONGOING: "bold",
}


def is_dumb() -> bool:
    """Return True on a terminal that cannot move the cursor or show colour (TERM unset or dumb)."""
    return os.environ.get("TERM", "") in ("", "dumb")


def console(stderr: bool = False) -> Console:
    """Return the console for the user's screen.

    Rich assumes 80 columns on a dumb terminal; ask the system for the real width, so a narrow
    screen (a phone-sized window, a split pane) still wraps at its edge.
    """
    if not is_dumb():
        return Console(stderr=stderr, highlight=False, soft_wrap=False)
    size = shutil.get_terminal_size()  # rich ignores a width given without a height
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=size.columns,
                   height=size.lines)


def heading(text: str) -> Text:
    return Text(text.upper(), style="bold underline")


def _numbered(items: list[tuple[str, RenderableType]]) -> Table:
    """Return a list with hanging indents: the number in one column, the wrapped text in the other."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for mark, body in items:
        grid.add_row(mark, body)
    return grid


def plan(result: Plan) -> RenderableType:
    """Return the plan as one readable column: steps by urgency, services, guidance, answers."""
    steps: list[tuple[str, RenderableType]] = []
    for n, planned in enumerate(result.steps, 1):
        step = planned.step
        # The urgency is written out in words, so meaning never depends on colour alone.
        line = Text(f"{URGENCY_LABELS[step.urgency]}: ", style=_URGENCY_STYLE[step.urgency])
        line.append(step.text)
        body = [line] + [Text(f"Contact: {c.describe()}", style="cyan") for c in planned.contacts]
        body.append(Text(f"Source: {step.source}", style="dim"))
        steps.append((f"{n}.", Group(*body)))
    parts: list[RenderableType] = [heading("Recommended steps"), _numbered(steps), Text("")]
    parts.append(heading("Services the person can use"))
    parts += offers(result.offers) or [Text("No services from the support table apply on this path.")]
    if result.guidance:
        parts += [Text(""), heading("Guidance")]
        parts += [guidance(note) for note in result.guidance]
    parts += [Text(""), heading("Answers given"), answers(result.transcript)]
    return Group(*parts)


def answers(transcript: tuple[Answered, ...]) -> Table:
    """Return the answers given, numbered as the review screen refers to them."""
    return _numbered([(f"{n}.", Text(f"{a.question} ") + Text(a.label, style="bold"))
                      for n, a in enumerate(transcript, 1)])


def offers(items: tuple[eligibility.Offer, ...] | list[eligibility.Offer]) -> list[RenderableType]:
    """Return each service with its offer, contact, any check note and source."""
    rows: list[tuple[str, RenderableType]] = []
    for offer in items:
        body: list[RenderableType] = [Text(offer.service.name, style="bold"), Text(offer.service.offers),
                                      Text(f"Contact: {offer.contact.describe()}", style="cyan")]
        if offer.note:
            body.append(Text(f"Note: {offer.note}", style="yellow"))
        body.append(Text(f"Source: {offer.service.source}", style="dim"))
        rows.append(("-", Group(*body)))
    return [_numbered(rows)] if rows else []


def guidance(note: Guidance) -> RenderableType:
    """Return an info node's guidance as a titled paragraph."""
    return Group(Text(note.title, style="bold"), Text(note.text),
                 Text(f"Source: {note.source}", style="dim"), Text(""))


def question_context(question: Question, explain: bool = False) -> RenderableType | None:
    """Return the help (and, in explain mode, the why and source) shown above a question."""
    parts: list[RenderableType] = []
    if question.help:
        parts.append(Text(question.help, style="dim"))
    if explain and question.why:
        parts.append(Text(f"Why: {question.why}", style="italic"))
    if explain:
        parts.append(Text(f"Protocol {question.section} ({question.pathway}). Source: "
                          f"{question.source}", style="dim"))
    return Group(*parts) if parts else None


def pathway_tree(pack: model.Pack, pathway: model.Pathway) -> Tree:
    """Return the pathway as a tree from its start node; a node met twice is referred back to."""
    tree = Tree(Text(f"{pathway.title} (protocol {pathway.section}, id {pathway.id})", style="bold"))
    _grow(pack, pathway, pathway.start, tree, set())
    return tree


def _label(pack: model.Pack, node: model.Node) -> Text:
    if isinstance(node, model.QuestionNode):
        return Text(f"? {node.text}", style="bold")
    if isinstance(node, model.StepNode):
        return Text("do: " + "; ".join(f"[{pack.steps[s].urgency.value}] {s}" for s in node.steps))
    if isinstance(node, model.InfoNode):
        return Text(f"i {node.title}", style="italic")
    if isinstance(node, model.ServicesNode):
        what = [f"table {node.table}"] if node.table else []
        return Text("services: " + ", ".join(what + node.services))
    if isinstance(node, model.GotoNode):
        return Text(f"-> pathway {node.pathway}" + (" (and back)" if node.next else ""), style="cyan")
    if isinstance(node, model.BranchNode):
        return Text("branch on facts")
    return Text("end", style="dim")


def _grow(pack: model.Pack, pathway: model.Pathway, node_id: str, parent: Tree, seen: set[str]) -> None:
    node = pathway.node(node_id)
    if node_id in seen:
        parent.add(Text(f"(continues as above at {node_id})", style="dim"))
        return
    seen.add(node_id)
    branch = parent.add(_label(pack, node))
    if isinstance(node, model.QuestionNode):
        fact = pack.facts[node.fact]
        for option in node.options:
            sub = branch.add(Text(f"{option.value}: {option.label or fact.label(option.value)}",
                                  style="green"))
            _grow(pack, pathway, option.next, sub, seen)
        return
    for _, target in graph.targets(node):
        _grow(pack, pathway, target, parent if not isinstance(node, model.BranchNode) else branch, seen)
