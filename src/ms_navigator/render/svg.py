"""Pathway diagrams as SVG, laid out here in pure Python for a 16:9 projector.

Why our own layout: the site must open from the file system with nothing installed and nothing
fetched, so neither Graphviz (a system binary) nor Mermaid (a script from a CDN) can draw it.
The layout is a small layered (Sugiyama-style) one, left to right because a projector is wide:

1. every node gets a column by the longest path from the start (answers flow to the right);
2. an answer's words sit in a box of their own in the gap after the question, and a long
   arrow passes through a reserved slot in every column it crosses, so that no label or arrow
   is drawn over a box;
3. boxes in a column are ordered to cut crossings (barycentre sweeps) and placed near their
   neighbours;
4. a pathway wider than one screen is cut between columns into parts that each fit 1920x1080
   at full size; an arrow cut there ends in "Continues in part N" and starts again in the
   next part at "From part N".

Words, never ids (`wording`); urgency is a word ("DO NOW") and a border pattern as well as
a colour. Pure: it returns the SVG text.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from ms_navigator import model, wording
from ms_navigator.render import diagram

FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
TEXT_PX = 17  # node text; nothing drawn is smaller than TAG_PX
TAG_PX = 14
LABEL_PX = 15
CHAR_EM = 0.5  # Liberation Sans (Arial metrics) on average; the browser test checks text stays in its box
LINE = 1.3
PAD = 10
NODE_W = 290
LABEL_W = 150
WIDE_LABEL_W = 230
WIDE_NODE_WS = (390, 490, 590)  # wider boxes, fewer lines, for a column too tall for a screen
DUMMY_H = 36  # the slot a long arrow takes in a column it crosses (room for a part connector)
CONNECT_W = 120
V_GAP = 14
COL_GAP = 34
MARGIN = 12
MAX_WIDTH = 1880  # one part fits a 1920 px wide screen at full size
MAX_HEIGHT = 1040


@dataclass
class Box:
    """Something laid out in a column: a pathway node, an answer's words, or an arrow's slot."""

    key: str
    kind: str  # "node", "label" or "dummy"
    column: int
    width: float
    height: float
    lines: list[tuple[int, str, str]] = field(default_factory=list)  # (px, css class, text)
    node: model.Node | None = None
    css: str = ""
    y: float = 0.0
    x: float = 0.0

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Chain:
    """One arrow of the pathway, as the boxes it passes through from source to target."""

    keys: tuple[str, ...]
    back: bool = False


@dataclass(frozen=True)
class Part:
    """One screen's worth of a pathway diagram: its SVG and its size in pixels."""

    number: int
    of: int
    svg: str
    width: int
    height: int


def _wrap(text: str, width: float, px: int) -> list[str]:
    chars = max(8, int((width - 2 * PAD) / (px * CHAR_EM)))
    return textwrap.wrap(text, chars, break_long_words=True) or [""]


def _node_box(pack: model.Pack, node: model.Node, column: int, key: str,
              width: float = NODE_W) -> Box:
    kind = wording.node_kind(pack, node)
    lines: list[tuple[int, str, str]] = [(TAG_PX, "kind", kind)]
    for item in wording.node_lines(pack, node):
        lines += [(TEXT_PX, "txt", line) for line in _wrap(item, width - 12, TEXT_PX)]
    height = 2 * PAD + sum(px * LINE for px, _, _ in lines)
    css = "n-" + kind.lower().replace(" ", "-")
    return Box(key, "node", column, width, height, lines, node, css)


def _label_box(key: str, text: str, column: int, width: float = LABEL_W) -> Box:
    lines = [(LABEL_PX, "lbl", line) for line in _wrap(text, width, LABEL_PX)]
    return Box(key, "label", column, width, 2 * 6 + sum(px * LINE for px, _, _ in lines), lines,
               css="answer")


def _back_edges(keys: list[str], out: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Return the edges that close a cycle (depth-first from the start), drawn but not layered."""
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in keys:
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(out[child])))
    return back


def _layers(keys: list[str], out: dict[str, list[str]], back: set[tuple[str, str]]) -> dict[str, int]:
    """Return each node's layer: the longest path to it, then as near its successors as allowed.

    The second pass moves a node right, towards the nodes it leads to, when nothing before it
    holds it back: shorter arrows, fewer of them crossing columns.
    """
    forward = {k: [t for t in out[k] if (k, t) not in back] for k in keys}
    into = dict.fromkeys(keys, 0)
    for targets in forward.values():
        for target in targets:
            into[target] += 1
    ready = [k for k in keys if into[k] == 0]
    layer = dict.fromkeys(keys, 0)
    order: list[str] = []
    while ready:
        source = ready.pop(0)
        order.append(source)
        for target in forward[source]:
            layer[target] = max(layer[target], layer[source] + 1)
            into[target] -= 1
            if into[target] == 0:
                ready.append(target)
    for key in reversed(order):
        if forward[key]:
            layer[key] = max(layer[key], min(layer[t] for t in forward[key]) - 1)
    return layer


@dataclass
class Layout:
    """The whole pathway laid out in one plane, before it is cut into parts."""

    boxes: dict[str, Box]
    columns: list[list[str]]
    chains: list[Chain]


def _graph(pathway: model.Pathway,
           edges: list[diagram.Edge]) -> tuple[dict[str, model.Node], list[tuple[str, str, str]]]:
    """Return the boxes to draw for nodes, and the arrows between them.

    An end is drawn again beside every node that leads to it: one far-away end with arrows
    from all over the pathway is the hardest thing to read on a diagram.
    """
    ends = {n.id for n in pathway.nodes if isinstance(n, model.EndNode)}
    reached = {e.target for e in edges}
    nodes = {n.id: n for n in pathway.nodes if n.id not in ends or n.id not in reached}
    arrows = []
    for number, edge in enumerate(edges):
        target = edge.target
        if target in ends:
            target = f"{edge.target}@{number}"
            nodes[target] = pathway.node(edge.target)
        arrows.append((edge.source, target, edge.label))
    return nodes, arrows


def layout(pack: model.Pack, pathway: model.Pathway) -> Layout:
    """Lay the pathway out: columns, order within them, and every box's position."""
    nodes, arrows = _graph(pathway, list(diagram.edges(pack, pathway)))
    keys = [pathway.start] + [k for k in nodes if k != pathway.start]
    out: dict[str, list[str]] = {k: [] for k in keys}
    for source, target, _ in arrows:
        out[source].append(target)
    back = _back_edges(keys, out)
    layer = _layers(keys, out, back)
    boxes = {k: _node_box(pack, n, 2 * layer[k], k) for k, n in nodes.items()}
    chains: list[Chain] = []
    for number, (source, target, label) in enumerate(arrows):
        if (source, target) in back:
            chains.append(Chain((source, target), back=True))
            continue
        chain = [source]
        first, last = boxes[source].column, boxes[target].column
        for column in range(first + 1, last):
            key = f"e{number}c{column}"
            if column == first + 1 and label:
                boxes[key] = _label_box(key, label, column)
            else:
                boxes[key] = Box(key, "dummy", column, 0, DUMMY_H)
            chain.append(key)
        chains.append(Chain(tuple(chain + [target])))
    _widen_tall_labels(boxes)
    _widen_tall_nodes(pack, boxes)
    columns: list[list[str]] = [[] for _ in range(max(b.column for b in boxes.values()) + 1)]
    for key in _first_seen(pathway, chains, boxes):
        columns[boxes[key].column].append(key)
    result = Layout(boxes, columns, chains)
    _order(result)
    _place(result)
    return result


def _widen_tall_labels(boxes: dict[str, Box]) -> None:
    """Rewrap a column's answers wider when they stack too high for a screen (many answers)."""
    labels: dict[int, list[Box]] = {}
    for box in boxes.values():
        if box.kind == "label":
            labels.setdefault(box.column, []).append(box)
    for column in labels.values():
        if sum(b.height + V_GAP for b in column) > MAX_HEIGHT * 0.6:
            for box in column:
                text = " ".join(line for _, _, line in box.lines)
                boxes[box.key] = _label_box(box.key, text, box.column, WIDE_LABEL_W)


def _stack_height(column: list[Box]) -> float:
    return sum(b.height + V_GAP for b in column) - V_GAP + 2 * MARGIN


def _widen_tall_nodes(pack: model.Pack, boxes: dict[str, Box]) -> None:
    """Rewrap a column's boxes wider, step by step, while they stack too high for one screen.

    A question with many answers leads to a column of many steps; at the usual width their
    words would stack taller than 1080 px, and no cut between columns could make that fit.
    """
    columns: dict[int, list[Box]] = {}
    for box in boxes.values():
        columns.setdefault(box.column, []).append(box)
    for column in columns.values():
        for width in WIDE_NODE_WS:
            if _stack_height(column) <= MAX_HEIGHT * 0.8:  # room to fan out near neighbours
                break
            for i, box in enumerate(column):
                if box.kind == "node" and box.node is not None:
                    column[i] = boxes[box.key] = _node_box(pack, box.node, box.column, box.key,
                                                           width)


def _first_seen(pathway: model.Pathway, chains: list[Chain], boxes: dict[str, Box]) -> list[str]:
    """Return box keys breadth-first from the start, answers in their order: the first ordering."""
    after: dict[str, list[str]] = {}
    for chain in chains:
        if not chain.back:
            for a, b in itertools.pairwise(chain.keys):
                after.setdefault(a, []).append(b)
    seen = dict.fromkeys([pathway.start])
    queue = [pathway.start]
    while queue:
        for key in after.get(queue.pop(0), []):
            if key not in seen:
                seen[key] = None
                queue.append(key)
    seen.update(dict.fromkeys(boxes))
    return list(seen)


def _segments(result: Layout) -> Iterator[tuple[str, str]]:
    for chain in result.chains:
        if not chain.back:
            yield from itertools.pairwise(chain.keys)


def _crossings(result: Layout) -> int:
    index = {k: i for col in result.columns for i, k in enumerate(col)}
    by_column: dict[int, list[tuple[int, int]]] = {}
    for a, b in _segments(result):
        by_column.setdefault(result.boxes[a].column, []).append((index[a], index[b]))
    count = 0
    for pairs in by_column.values():
        for i, (a1, b1) in enumerate(pairs):
            count += sum((a1 - a2) * (b1 - b2) < 0 for a2, b2 in pairs[i + 1:])
    return count


def _order(result: Layout) -> None:
    """Reorder each column by the mean position of its neighbours; keep the fewest crossings."""
    segments = list(_segments(result))
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for a, b in segments:
        after.setdefault(a, []).append(b)
        before.setdefault(b, []).append(a)
    best = [list(c) for c in result.columns]
    best_count = _crossings(result)
    for sweep in range(8):
        forward = sweep % 2 == 0
        order = range(1, len(result.columns)) if forward else range(len(result.columns) - 2, -1, -1)
        for c in order:
            side = result.columns[c - 1 if forward else c + 1]
            where = {k: i for i, k in enumerate(side)}
            links = before if forward else after
            current = {k: i for i, k in enumerate(result.columns[c])}

            def centre(key: str, where: dict[str, int] = where, links: dict[str, list[str]] = links,
                       current: dict[str, int] = current) -> float:
                near = [where[k] for k in links.get(key, []) if k in where]
                return sum(near) / len(near) if near else current[key]

            result.columns[c].sort(key=centre)
        count = _crossings(result)
        if count < best_count:
            best, best_count = [list(col) for col in result.columns], count
    result.columns = best


def _place(result: Layout) -> None:
    """Give every box its x (by column) and y (near the mean of its neighbours, never overlapping)."""
    boxes = result.boxes
    x = float(MARGIN)
    for column in result.columns:
        width = max([boxes[k].width for k in column] + [COL_GAP])
        for key in column:
            boxes[key].x = x + (width - boxes[key].width) / 2
        x += width + COL_GAP
    for column in result.columns:  # start each column stacked about the same centre line
        total = sum(boxes[k].height for k in column) + V_GAP * (len(column) - 1)
        y = -total / 2
        for key in column:
            boxes[key].y = y
            y += boxes[key].height + V_GAP
    neighbours: dict[str, list[str]] = {}
    for a, b in _segments(result):
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    for sweep in range(12):
        order = result.columns if sweep % 2 == 0 else result.columns[::-1]
        for column in order:
            wanted = []
            for key in column:
                near = [boxes[k].middle for k in neighbours.get(key, [])]
                wanted.append(sum(near) / len(near) - boxes[key].height / 2 if near else boxes[key].y)
            _pack(column, boxes, wanted)
    top = min(b.y for b in boxes.values())
    for box in boxes.values():
        box.y += MARGIN - top


def _pack(column: list[str], boxes: dict[str, Box], wanted: list[float]) -> None:
    """Put a column's boxes as near their wanted tops as their order and the gaps allow."""
    tops: list[float] = []
    for i in range(len(column)):
        floor = tops[-1] + boxes[column[i - 1]].height + V_GAP if tops else wanted[i]
        tops.append(max(wanted[i], floor))
    shift = sum(t - w for t, w in zip(tops, wanted, strict=True)) / max(1, len(tops))
    for key, top in zip(column, tops, strict=True):
        boxes[key].y = top - shift


# --- Cutting into parts and drawing ---------------------------------------------------------


def _column_widths(result: Layout) -> list[float]:
    return [max([result.boxes[k].width for k in col] + [COL_GAP]) for col in result.columns]


def _width(widths: list[float], entry: bool, exit_: bool) -> float:
    """Return the width of a part with these columns and its connectors (from, on to other parts)."""
    return (sum(w + COL_GAP for w in widths) + (entry + exit_) * (CONNECT_W + COL_GAP)
            + 2 * MARGIN)


def _height(result: Layout, first: int, last: int) -> float:
    """Return the height of a part with these columns: its boxes' span and the margins."""
    inside = [result.boxes[k] for col in result.columns[first:last + 1] for k in col]
    return max(b.y + b.height for b in inside) - min(b.y for b in inside) + 2 * MARGIN


def _cuts(result: Layout) -> list[tuple[int, int]]:
    """Return (first column, last column) of each part: whole layers, each fitting one screen."""
    widths = _column_widths(result)
    last = len(widths) - 1

    def fits(start: int, end: int) -> bool:
        return (_width(widths[start:end + 1], start > 0, end < last) <= MAX_WIDTH
                and _height(result, start, end) <= MAX_HEIGHT)

    parts: list[tuple[int, int]] = []
    start = 0
    while start <= last:
        end = min(start + 1, last)  # a layer and the answers after it always stay together
        while end + 2 <= last and fits(start, end + 2):
            end += 2
        if end + 1 == last and fits(start, last):
            end = last  # the last layer fits beside the others
        parts.append((start, end))
        start = end + 1
    return parts


def _stack(result: Layout, first: int, last: int) -> None:
    """Stack each column of a part about one centre line, when placing boxes near their
    neighbours has spread the part taller than a screen (a question with many answers)."""
    centre = 0.0
    for column in result.columns[first:last + 1]:
        y = centre - (sum(result.boxes[k].height + V_GAP for k in column) - V_GAP) / 2
        for key in column:
            result.boxes[key].y = y
            y += result.boxes[key].height + V_GAP


def parts(pack: model.Pack, pathway: model.Pathway) -> list[Part]:
    """Return the pathway as one or more SVG diagrams, each fitting a 1920x1080 screen."""
    result = layout(pack, pathway)
    cuts = _cuts(result)
    for first, last in cuts:
        if _height(result, first, last) > MAX_HEIGHT:
            _stack(result, first, last)
    return [_draw(pack, pathway, result, n, len(cuts), first, last)
            for n, (first, last) in enumerate(cuts, 1)]


def _draw(pack: model.Pack, pathway: model.Pathway, result: Layout, number: int, total: int,
          first: int, last: int) -> Part:
    boxes = result.boxes
    inside = {k for col in result.columns[first:last + 1] for k in col}
    left = min(boxes[k].x for k in inside) - (CONNECT_W + COL_GAP if number > 1 else 0)
    shapes: list[str] = []
    arrows: list[str] = []
    connectors: list[Box] = []
    entries: dict[str, Box] = {}
    for chain in result.chains:
        keys = [k for k in chain.keys if k in inside]
        if not keys:
            continue
        if chain.back:
            if len(keys) == 2:
                arrows.append(_back_arrow(boxes[keys[0]], boxes[keys[1]]))
            continue
        points = _points([boxes[k] for k in keys])
        if chain.keys[0] not in inside:  # comes from an earlier part
            entry = entries.get(keys[0])
            if entry is None:
                target = boxes[keys[0]]
                entry = Box(f"in-{keys[0]}", "node", first - 1, CONNECT_W, DUMMY_H,
                            [(LABEL_PX, "lbl", f"From part {number - 1}")], css="connector")
                entry.x = left + MARGIN - 0
                entry.y = target.middle - DUMMY_H / 2
                entries[keys[0]] = entry
            points.insert(0, (entry.x + entry.width, entry.middle))
        if chain.keys[-1] not in inside:  # goes on in a later part
            end = boxes[keys[-1]]
            exit_ = Box(f"out-{keys[-1]}", "node", last + 1, CONNECT_W, DUMMY_H,
                        [(LABEL_PX, "lbl", f"On in part {number + 1}")], css="connector")
            exit_.x = max(boxes[k].x + boxes[k].width for k in inside) + COL_GAP
            exit_.y = end.middle - DUMMY_H / 2
            connectors.append(exit_)
            points.append((exit_.x, exit_.middle))
        arrows.append(_arrow(points))
    connectors += entries.values()
    drawn = [boxes[k] for k in sorted(inside) if boxes[k].kind != "dummy"] + connectors
    for box in drawn:
        shapes.append(_shape(box))
    everything = [boxes[k] for k in inside] + connectors
    top = min(b.y for b in everything) - MARGIN
    right = max(b.x + b.width for b in everything) + MARGIN
    bottom = max(b.y + b.height for b in everything) + MARGIN
    width, height = int(right - left + 0.5), int(bottom - top + 0.5)
    title = f"{pathway.title} (protocol {pathway.section})" + (
        f", part {number} of {total}" if total > 1 else "")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
           f'width="{width}" height="{height}" viewBox="{left:.0f} {top:.0f} {width} {height}" '
           f'font-family="{FONT}" aria-label="{escape(title)}">'
           f"<title>{escape(title)}</title>"
           '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="9" markerHeight="9" orient="auto-start-reverse">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
           f'<g class="arrows">{"".join(arrows)}</g><g class="boxes">{"".join(shapes)}</g></svg>')
    return Part(number, total, svg, width, height)


def _points(chain: list[Box]) -> list[tuple[float, float]]:
    """Return the points an arrow passes: out of a box's right side, into the next one's left."""
    points: list[tuple[float, float]] = []
    for i, box in enumerate(chain):
        if i > 0:
            points.append((box.x, box.middle))
        if i < len(chain) - 1 and (box.kind != "dummy" or i == 0):
            points.append((box.x + box.width, box.middle))
    return points


def _arrow(points: list[tuple[float, float]]) -> str:
    (x0, y0), rest = points[0], points[1:]
    d = [f"M{x0:.1f},{y0:.1f}"]
    for x1, y1 in rest:
        if abs(x1 - x0) < 0.5:
            d.append(f"L{x1:.1f},{y1:.1f}")
        else:
            dx = (x1 - x0) / 2
            d.append(f"C{x0 + dx:.1f},{y0:.1f} {x1 - dx:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
        x0, y0 = x1, y1
    return (f'<path class="arrow" d="{" ".join(d)}" fill="none" stroke="#333" stroke-width="2" '
            'marker-end="url(#arrowhead)"/>')


def _back_arrow(source: Box, target: Box) -> str:
    x0, y0 = source.x + source.width / 2, source.y + source.height
    x1, y1 = target.x + target.width / 2, target.y + target.height
    low = max(y0, y1) + 2 * V_GAP
    return (f'<path class="arrow back" d="M{x0:.1f},{y0:.1f} C{x0:.1f},{low:.1f} {x1:.1f},{low:.1f} '
            f'{x1:.1f},{y1:.1f}" fill="none" stroke="#333" stroke-width="2" stroke-dasharray="6 4" '
            'marker-end="url(#arrowhead)"/>')


_STYLES: dict[str, tuple[str, str, str]] = {  # fill, stroke, dash pattern
    "n-question": ("#e8f0fb", "#0b3d91", ""),
    "n-do-now": ("#fdeaea", "#a4000f", ""),
    "n-do-today": ("#fff1e0", "#8a4600", ""),
    "n-do-soon": ("#f1f6ea", "#3b5e12", "8 4"),
    "n-do-ongoing": ("#f3f3f3", "#444444", "2 4"),
    "n-guidance": ("#fffbe6", "#6b5900", ""),
    "n-services": ("#eef7f6", "#0b5e57", ""),
    "n-check": ("#f4eefa", "#4b2c7a", ""),
    "n-go-to": ("#eaf4fb", "#004f7a", ""),
    "n-end": ("#ffffff", "#333333", ""),
    "answer": ("#ffffff", "#555555", ""),
    "connector": ("#ffffff", "#333333", "5 4"),
}


def _outline(box: Box) -> str:
    """Return the box's shape: the kind of node shows in its outline, not only its colour."""
    x, y, w, h = box.x, box.y, box.width, box.height
    if box.css == "n-question":  # cut corners
        c = 14
        return (f'<polygon points="{x + c:.1f},{y:.1f} {x + w - c:.1f},{y:.1f} {x + w:.1f},{y + c:.1f} '
                f'{x + w:.1f},{y + h - c:.1f} {x + w - c:.1f},{y + h:.1f} {x + c:.1f},{y + h:.1f} '
                f'{x:.1f},{y + h - c:.1f} {x:.1f},{y + c:.1f}"')
    if box.css == "n-check":  # hexagon
        c = 16
        return (f'<polygon points="{x + c:.1f},{y:.1f} {x + w - c:.1f},{y:.1f} {x + w:.1f},{y + h / 2:.1f} '
                f'{x + w - c:.1f},{y + h:.1f} {x + c:.1f},{y + h:.1f} {x:.1f},{y + h / 2:.1f}"')
    if box.css == "n-go-to":  # an arrow pointing on
        c = 18
        return (f'<polygon points="{x:.1f},{y:.1f} {x + w - c:.1f},{y:.1f} {x + w:.1f},{y + h / 2:.1f} '
                f'{x + w - c:.1f},{y + h:.1f} {x:.1f},{y + h:.1f}"')
    radius = h / 2 if box.css in ("n-end", "answer") else 4
    radius = min(radius, 22)
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}"'


def _shape(box: Box) -> str:
    fill, stroke, dash = _STYLES.get(box.css, ("#ffffff", "#333333", ""))
    width = 4 if box.css in ("n-do-now", "n-question") else 2
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [f'<g class="box {box.css}">',
             f'{_outline(box)} fill="{fill}" stroke="{stroke}" stroke-width="{width}"{extra}/>']
    if box.css == "n-do-now":  # a second border: "now" reads from the shape too
        parts.append(f'<rect x="{box.x + 5:.1f}" y="{box.y + 5:.1f}" width="{box.width - 10:.1f}" '
                     f'height="{box.height - 10:.1f}" rx="2" fill="none" stroke="{stroke}" stroke-width="1.5"/>')
    inset = 16 if box.css in ("n-question", "n-check") else PAD
    pad = 6 if box.kind == "label" or box.css == "connector" else PAD
    y = box.y + pad
    for px, css, text in box.lines:
        y += px * LINE
        weight = ' font-weight="bold"' if css == "kind" else ""
        colour = stroke if css == "kind" else "#111111"
        anchor = ("middle", box.x + box.width / 2) if box.kind == "label" or box.css == "connector" \
            else ("start", box.x + inset)
        parts.append(f'<text class="{css}" x="{anchor[1]:.1f}" y="{y - px * (LINE - 1) - 3:.1f}" '
                     f'font-size="{px}"{weight} fill="{colour}" text-anchor="{anchor[0]}">'
                     f"{escape(text)}</text>")
    parts.append("</g>")
    return "".join(parts)
