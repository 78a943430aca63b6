"""Rich renderables for the terminal: the plan, questions' context, pathway trees, problems."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from ms_navigator import model
from ms_navigator.engine import Answered, Guidance, Plan, PlannedStep, Question
from ms_navigator.model import URGENCY_LABELS

if TYPE_CHECKING:  # named in annotations only: `start` need not import them (about 30 ms)
    from rich.tree import Tree

    from ms_navigator import eligibility, quiz, walkthrough
    from ms_navigator.scenarios import Scenario


def _rich_line_breaking() -> Callable[..., list[int]] | None:
    """Return rich's own line breaking, the function `Text.wrap` calls; it is private, so a
    release may not have it: then None, and every plan is drawn by rich itself."""
    try:
        from rich._wrap import divide_line
    except ImportError:
        return None
    return divide_line


_DIVIDE_LINE = _rich_line_breaking()


_URGENCY_STYLE = {
    model.Urgency.NOW: "bold red",
    model.Urgency.TODAY: "bold yellow",
    model.Urgency.SOON: "bold",
    model.Urgency.ONGOING: "bold",
}


def is_dumb() -> bool:
    """Return True on a terminal that cannot move the cursor or show colour (TERM unset or dumb)."""
    return os.environ.get("TERM", "") in ("", "dumb")


def console(stderr: bool = False, plain: bool = False) -> Console:
    """Return the console for the user's screen.

    Plain mode and NO_COLOR (https://no-color.org) turn off colour and styles. Rich assumes 80
    columns on a dumb terminal; ask the system for the real width, so a narrow screen (a
    phone-sized window, a split pane) still wraps at its edge.
    """
    no_color = plain or bool(os.environ.get("NO_COLOR"))
    options: dict[str, Any] = {"stderr": stderr, "highlight": False, "soft_wrap": False,
                               "no_color": no_color, "color_system": None if no_color else "auto"}
    if is_dumb():
        size = shutil.get_terminal_size()  # rich ignores a width given without a height
        options.update(width=size.columns, height=size.lines)
    return Console(**options)


def heading(text: str) -> Text:
    return Text(text.upper(), style="bold underline")


class Numbered:
    """A list with hanging indents: each mark (a number, "-", ">") right-aligned in a column as
    wide as the widest, a space, and its text wrapped beside it (a web address longer than the
    line folds, never cut).

    It draws what `rich.table.Table.grid(padding=(0, 1))` draws with a right-aligned, no-wrap
    column and a folding one (tests/test_startup.py checks it on every kind of list, at several
    widths), at half the cost and without importing rich.table: rendering a plan was most of
    what `start --answers` does after its imports (docs/performance.md).
    """

    def __init__(self, rows: list[tuple[str, RenderableType]]) -> None:
        self.rows = rows
        self.width = max((cell_len(mark) for mark, _ in rows), default=0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inner = options.update(width=max(options.max_width - self.width - 1, 1), height=None,
                               overflow="fold")
        gap = Segment(" ")
        for mark, body in self.rows:
            for n, line in enumerate(console.render_lines(body, inner, pad=False)):
                yield Segment((mark if n == 0 else "").rjust(self.width))
                yield gap
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if not self.rows:
            return Measurement(0, 0)
        inner = options.update(width=max(options.max_width - self.width - 1, 1))
        sizes = [Measurement.get(console, inner, body) for _, body in self.rows]
        return Measurement(self.width + 1 + max(m.minimum for m in sizes),
                           self.width + 1 + max(m.maximum for m in sizes))


def plain_lines(renderable: RenderableType, width: int) -> list[str] | None:
    """Return the lines rich draws for `renderable` at `width` columns without styles (a
    console with no colour system, as for a file or a pipe), or None for anything it does not
    lay out itself: then draw it with rich.

    It lays out the plan's parts only (groups, texts and `Numbered` lists), wrapping each text
    with rich's own line breaking (`rich._wrap.divide_line`, the function `Text.wrap` calls)
    and cutting each line as `Text.wrap` does, without rich's segments, styles and line
    cropping: the piped plan of `start --answers` in a third of the time.
    A text with a tab, or justified, cropped or not wrapped, and a list too wide for the
    width, are left to rich. tests/test_plain_text.py checks it against rich on every shipped
    scenario's plan at several widths, and on texts made to break it. A release of rich
    without that function gets None every time (the same text, drawn by rich).
    """
    if _DIVIDE_LINE is None:
        return None
    if isinstance(renderable, Text):
        text = renderable
        if (text.justify not in (None, "default") or text.overflow not in (None, "fold")
                or text.no_wrap or text.end != "\n" or "\t" in text.plain):
            return None
        return _wrapped(text.plain, width)
    if isinstance(renderable, Group):
        lines: list[str] = []
        for part in renderable.renderables:
            found = plain_lines(part, width)
            if found is None:
                return None
            lines += found
        return lines
    if isinstance(renderable, Numbered):
        if width < renderable.width + 2:  # rich crops such lines: left to it
            return None
        lines = []
        inner = width - renderable.width - 1
        for mark, body in renderable.rows:
            found = plain_lines(body, inner)
            if found is None:
                return None
            lines += [(mark if n == 0 else "").rjust(renderable.width) + " " + line
                      for n, line in enumerate(found)]
        return lines
    return None


_TRAILING_SPACE = re.compile(r"\s+$")


def _wrapped(text: str, width: int) -> list[str]:
    """Return the lines of a text wrapped at `width` cells as `rich.text.Text.wrap` makes them
    (left-justified, long words folded): rich's line breaks, then each line's spaces beyond
    the width dropped and what is still too wide cut to the width."""
    lines = []
    for line in text.split("\n"):  # what Text.split(allow_blank=True) gives
        assert _DIVIDE_LINE is not None  # `plain_lines` never comes here without it
        offsets = _DIVIDE_LINE(line, width, fold=True)
        for start, end in zip([0, *offsets], [*offsets, len(line)], strict=True):
            piece = line[start:end]
            if len(piece) > width:  # Text.rstrip_end
                space = _TRAILING_SPACE.search(piece)
                if space is not None:
                    piece = piece[:len(piece) - min(len(space.group(0)), len(piece) - width)]
            if cell_len(piece) > width:  # Text.truncate(overflow="fold")
                piece = set_cell_size(piece, width)
            lines.append(piece)
    return lines


def _numbered(items: list[tuple[str, RenderableType]]) -> Numbered:
    """Return a list with hanging indents: the number in one column, the wrapped text in the other."""
    return Numbered(items)


def _because(trail: tuple[Answered, ...]) -> Text:
    from ms_navigator.render.markdown import because_text

    return Text(f"Because: {because_text(trail)}", style="italic")


_SHORT_CONTACT = 80
"""A contact this short (999, 101) is given in full every time; a longer one in full once."""

DETAIL_HINT = ("Each step's detail and legal basis: run with --explain, or write the plan to a "
               "file with --output plan.md.")
"""Said under a plan shown without its detail, so that the reader knows where it is."""


def _step_body(planned: PlannedStep, explain: bool, tag: bool,
               seen: dict[str, str] | None = None) -> RenderableType:
    """Return a step as the plan shows it: the summary (with its urgency in words when `tag`)
    and its contacts; the detail, the basis and why it is planned folded beneath, shown to
    explain. A step whose facts are not confirmed says so either way.

    `seen`: contacts already shown in full, by id, with the step that shows them: a contact
    is given in full once, then by name ("see step 6"), so the plan stays short.
    """
    step = planned.step
    # The urgency is written out in words, so meaning never depends on colour alone.
    line = Text(f"{URGENCY_LABELS[step.urgency]}: " if tag else "",
                style=_URGENCY_STYLE[step.urgency])
    line.append(step.summary, style="bold")
    body: list[RenderableType] = [line]
    if explain:
        body.append(Text(" ".join(step.text.split())))
    for contact in planned.contacts:
        if seen is not None and contact.id in seen and len(contact.describe()) > _SHORT_CONTACT:
            body.append(Text(f"Contact: {contact.name} (see step {seen[contact.id]})", style="cyan"))
            continue
        body.append(Text(f"Contact: {contact.describe()}", style="cyan"))
    if step.confidence_note and (explain or step.confidence is model.Confidence.UNVERIFIED):
        body.append(Text(step.confidence_note, style="yellow"))
    if explain and planned.because is not None:
        body.append(_because(planned.because))
        from ms_navigator.render.markdown import replaced_text

        replaced = replaced_text(planned)
        if replaced:
            body.append(Text(replaced, style="italic"))
    if explain:
        body.append(Text(f"Source: {step.source}", style="dim"))
    return Group(*body)


def plan(result: Plan, explain: bool = False) -> RenderableType:
    """Return the plan as one readable column: the steps to do first, the other steps by when,
    services, guidance and answers, and at the end the steps to do first again, so that they
    are what the reader sees last.

    Each step shows its one-sentence summary and contacts; in explain mode also its detail,
    its source and the answers that put it there (and each service why it is listed).
    """
    first = result.first_steps()
    rest = [s for s in result.steps if s.step.id not in result.do_first]
    width = len(str(len(result.steps))) + 1
    mark = {s.step.id: f"{n}.".rjust(width) for n, s in enumerate([*first, *rest], 1)}
    seen: dict[str, str] = {}

    def body(planned: PlannedStep, tag: bool) -> RenderableType:
        shown = _step_body(planned, explain, tag, seen)
        for contact in planned.contacts:
            seen.setdefault(contact.id, mark[planned.step.id].strip(" ."))
        return shown

    parts: list[RenderableType] = [heading("Recommended steps")]
    if first:
        parts += [Text("Do first", style="bold"),
                  _numbered([(mark[s.step.id], body(s, tag=True)) for s in first])]
    for urgency, group in _by_urgency(rest):
        label = URGENCY_LABELS[urgency]
        parts += [Text(f"Then, {label.lower()}" if first else label,
                       style=_URGENCY_STYLE[urgency]),
                  _numbered([(mark[s.step.id], body(s, tag=False)) for s in group])]
    parts += [Text(""), heading("Services the person can use")]
    parts += offers(result.offers, explain) or [Text("No services from the support table apply on this path.")]
    if result.guidance:
        parts += [Text(""), heading("Guidance")]
        parts += [guidance(note) for note in result.guidance]
    parts += [Text(""), heading("Answers given"), answers(result.transcript)]
    if not explain:
        parts += [Text(""), Text(DETAIL_HINT, style="dim")]
    if first:  # last, so that it is what the reader sees at the end of the plan
        parts += [Text(""), heading("Do first"), _numbered(
            [(mark[s.step.id], Text(f"{URGENCY_LABELS[s.step.urgency]}: ",
                                           style=_URGENCY_STYLE[s.step.urgency]) + s.step.summary)
             for s in first])]
    return Group(*parts)


def do_first(result: Plan) -> RenderableType:
    """Return what to do first, with its contacts: the last thing on screen after a plan, so
    that a long plan ends with the action rather than with the answers."""
    from ms_navigator.wording import step_summary

    rows: list[tuple[str, RenderableType]] = []
    for n, planned in enumerate(result.first_steps(), 1):
        step = planned.step
        line = Text(f"{URGENCY_LABELS[step.urgency]}: ", style=_URGENCY_STYLE[step.urgency])
        line.append(step_summary(step, limit=1000))
        body = [line] + [Text(f"Contact: {c.describe()}", style="cyan") for c in planned.contacts]
        rows.append((f"{n}.", Group(*body)))
    if not rows:
        return Group(heading("Do first"), Text("Nothing in this plan is needed now or today: "
                                               "start with step 1 of the plan."))
    return Group(heading("Do first"), _numbered(rows))


def compact(result: Plan) -> RenderableType:
    """Return the plan in one screen: every step in one line, the services by name, and what to
    do first at the end. The full plan is in the case summary, or with --pager."""
    from ms_navigator.wording import step_summary

    steps: list[tuple[str, RenderableType]] = []
    for n, planned in enumerate(result.steps, 1):
        urgency = planned.step.urgency
        line = Text(f"{URGENCY_LABELS[urgency]}: ", style=_URGENCY_STYLE[urgency])
        steps.append((f"{n}.", line + Text(step_summary(planned.step, limit=1000))))
    parts: list[RenderableType] = [heading("Recommended steps (in short)"), _numbered(steps), Text("")]
    names = ", ".join(o.service.name for o in result.offers)
    parts += [heading("Services the person can use"),
              Text(names or "No services from the support table apply on this path."), Text("")]
    parts.append(do_first(result))
    return Group(*parts)


def _by_urgency(steps: list[PlannedStep]) -> list[tuple[model.Urgency, list[PlannedStep]]]:
    """Return steps (already in plan order) grouped by urgency, most urgent first."""
    groups: dict[model.Urgency, list[PlannedStep]] = {}
    for planned in steps:
        groups.setdefault(planned.step.urgency, []).append(planned)
    return [(u, groups[u]) for u in model.Urgency if u in groups]


def now_steps(steps: tuple[PlannedStep, ...] | list[PlannedStep], plain: bool = False) -> RenderableType:
    """Return the steps to do now, shown as soon as an answer puts them in the plan (before the
    next question): a red panel, or in plain mode (screen readers, TERM=dumb) a block of text
    marked at its start and end in words, with no box drawing to read out."""
    if plain:  # lines of text only: a grid would pad each line with spaces to be read out
        lines = [Text(""), Text(NOW_START)]
        for n, planned in enumerate(steps, 1):
            lines.append(Text(f"{n}. {planned.step.summary}"))
            lines += [Text(f"   Contact: {c.describe()}") for c in planned.contacts]
        return Group(*lines, Text(NOW_END), Text(""))
    from rich.panel import Panel

    rows = _numbered([(f"{n}.", Group(Text(s.step.summary, style="bold"),
                                      *(Text(f"Contact: {c.describe()}", style="cyan")
                                        for c in s.contacts)))
                      for n, s in enumerate(steps, 1)])

    return Panel(rows, title=Text(NOW_TITLE, style="bold red"), title_align="left",
                 border_style="bold red", expand=True)


NOW_TITLE = "DO THIS NOW"  # short: a panel title is cut, never wrapped, on a narrow screen
NOW_START = "*** DO THIS NOW, before the next question ***"
NOW_END = "*** End of what to do now. The questions carry on. ***"


def answers(transcript: tuple[Answered, ...]) -> Numbered:
    """Return the answers given, numbered as the review screen refers to them."""
    return _numbered([(f"{n}.", Text(f"{a.question} ") + Text(a.label, style="bold"))
                      for n, a in enumerate(transcript, 1)])


def offers(items: tuple[eligibility.Offer, ...] | list[eligibility.Offer],
           explain: bool = False) -> list[RenderableType]:
    """Return each service with its offer, contact, any check note and source (and, to explain, why)."""
    rows: list[tuple[str, RenderableType]] = []
    for offer in items:
        body: list[RenderableType] = [Text(offer.service.name, style="bold"), Text(offer.service.offers),
                                      Text(f"Contact: {offer.contact.describe()}", style="cyan")]
        if offer.note:
            body.append(Text(f"Note: {offer.note}", style="yellow"))
        if offer.service.confidence_note:
            body.append(Text(offer.service.confidence_note, style="yellow"))
        if explain and offer.because is not None:
            body.append(_because(offer.because))
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
    from rich.tree import Tree

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
    from ms_navigator import graph  # and its `nodes`: pathway trees only, never a visit

    for _, target in graph.targets(node):
        _grow(pack, pathway, target, parent if not isinstance(node, model.BranchNode) else branch, seen)


# --- Walk-throughs (ms-navigator walk) ------------------------------------------------------


def walk_intro(scenario: Scenario, kind: str = "Walk-through") -> RenderableType:
    """Return a scenario's title, story and source, shown before the first question."""
    return Group(heading(f"{kind}: {scenario.title}"), Text(" ".join(scenario.description.split())),
                 Text(f"Source: {scenario.source}", style="dim"), Text(""))


def _branch_body(branch: walkthrough.Branch) -> RenderableType:
    label = Text(branch.label, style="bold" if branch.chosen else "")
    if branch.chosen:
        label.append(" (this scenario's answer)")
    lines: list[RenderableType] = [label]
    if branch.adds_steps:
        from ms_navigator.wording import step_summary

        lines.append(Text("adds: " + "; ".join(
            f"{step_summary(s, limit=1000)} ({URGENCY_LABELS[s.urgency].lower()})"
            for s in branch.adds_steps)))
    lines.append(Text(f"then: {branch.next_question}" if branch.next_question
                      else "then: the plan is complete"))
    return Group(*lines)


def walk_frame(frame: walkthrough.Frame, total: int) -> RenderableType:
    """Return one question of a walk-through: guidance passed, the question, why, and every branch."""
    q = frame.question
    parts: list[RenderableType] = [guidance(note) for note in frame.guidance]
    parts += [Text(f"Question {frame.number} of {total} (protocol {q.section}, {frame.pathway_title})", style="dim"),
              Text(f"? {q.text}", style="bold")]
    context = question_context(q, explain=True)
    if context is not None:
        parts.append(context)
    if frame.note:
        parts.append(Text("Story: ", style="bold") + Text(" ".join(frame.note.split())))
    parts.append(Text("Where each answer leads (> marks this scenario's answer):"))
    parts.append(_numbered([(">" if b.chosen else "-", _branch_body(b)) for b in frame.branches]))
    return Group(*parts, Text(""))


def walk_end(walk: walkthrough.Walkthrough) -> RenderableType:
    """Return the plan the walk leads to, with the because trail, and how the story ends."""
    parts: list[RenderableType] = [heading("The plan these answers lead to"), plan(walk.plan, explain=True)]
    if walk.scenario.ending:
        parts += [Text(""), heading("How the story ends"), Text(" ".join(walk.scenario.ending.split()))]
    return Group(*parts)


# --- Quiz (ms-navigator quiz) ---------------------------------------------------------------


def quiz_item(item: quiz.Item, number: int, total: int) -> RenderableType:
    """Return a decision as the trainee sees it: the case so far and the answer it gives."""
    from ms_navigator.quiz import letter

    q, frame = item.frame.question, item.frame
    parts: list[RenderableType] = [Text(f"Decision {number} of {total}", style="bold")]
    if frame.note:
        parts.append(Text("Story: ", style="bold") + Text(" ".join(frame.note.split())))
    answer = next(b.label for b in frame.branches if b.chosen)
    parts.append(Text(f"The question: {q.text}"))
    parts.append(Text("In this case: ") + Text(answer, style="bold"))
    parts.append(_numbered([(f"{letter(n)}.", Text(c.text)) for n, c in enumerate(item.choices)]))
    return Group(*parts)


def quiz_feedback(item: quiz.Item, picked: int) -> RenderableType:
    """Return whether the pick matches the pathway, what the pathway does, and its source."""
    from ms_navigator.quiz import letter

    q = item.frame.question
    right = picked == item.correct
    verdict = Text("Right: that is what the pathway does." if right
                   else "Not quite. The pathway does this:", style="bold")
    parts: list[RenderableType] = [verdict]
    if not right:
        parts.append(Text(f"{letter(item.correct)}. {item.choices[item.correct].text}"))
    if q.why:
        parts.append(Text(f"Why: {' '.join(q.why.split())}", style="italic"))
    parts += [Text(f"Protocol {q.section} ({item.frame.pathway_title}). Source: {q.source}", style="dim"),
              Text("")]
    return Group(*parts)


def quiz_score(result: quiz.Score) -> RenderableType:
    """Return the final score and the sections to go back over."""
    parts: list[RenderableType] = [heading("Score"),
                                   Text(f"{result.right} of {result.total} decisions as the pathway makes them.")]
    if result.review:
        parts.append(Text("Worth going back over:"))
        parts.append(_numbered([("-", Text(f"Protocol {line}")) for line in result.review]))
    return Group(*parts)
