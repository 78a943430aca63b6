"""Rules on the shape of each pathway, read from the one graph definition in `graph.py`."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from ms_navigator import conditions, graph, model, nodes, ruleids
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule

_MAX_COMBINATIONS = 20_000
"""A branch testing more combinations than this is reported rather than enumerated."""


def _exits(pathway: model.Pathway) -> set[str]:
    """Return nodes from which the walk can leave the pathway (an end, or a hand-over)."""
    return {n.id for n in pathway.node_map.values() if nodes.leaves(n)}


def _can_finish(pathway: model.Pathway, edges: dict[str, list[str]]) -> set[str]:
    """Return the nodes from which some way on reaches an exit."""
    back: dict[str, list[str]] = {n: [] for n in edges}
    for src, targets in edges.items():
        for dst in targets:
            back[dst].append(src)
    done = _exits(pathway)
    todo = list(done)
    while todo:
        for prev in back[todo.pop()]:
            if prev not in done:
                done.add(prev)
                todo.append(prev)
    return done


@rule(ruleids.UNREACHABLE_NODE, Level.WARNING)
def unreachable_node(ctx: Context) -> Iterator[Problem]:
    """A node that no path from the pathway's `start` can reach: its content is never shown.

    FAIL:
        start: q_danger
        nodes:
          - {id: q_danger, type: question, ..., options: [{value: "yes", next: done}, ...]}
          - {id: i_old_advice, type: info, ..., next: done}   # nothing points here
    PASS:
        every node is the `start` or the `next` of a node that is reached

    Fix: point a `next` at it, or delete it.
    """
    for pathway in ctx.pack.pathways.values():
        reached = graph.reach(graph.edges(pathway), pathway.start)
        for node in pathway.node_map.values():
            if node.id not in reached:
                yield ctx.problem("node", f"{pathway.id}/{node.id}", ("id",),
                                  f"node '{node.id}' cannot be reached from '{pathway.start}'.")


@rule(ruleids.CYCLE_NO_EXIT, Level.ERROR)
def cycle_no_exit(ctx: Context) -> Iterator[Problem]:
    """Nodes that lead only round in a loop: a user who gets there can never finish.

    FAIL:
        - {id: s_a, type: step, steps: [refer_nrm], next: s_b, ...}
        - {id: s_b, type: step, steps: [notify_dtn], next: s_a, ...}
    PASS:
        - {id: s_a, type: step, steps: [refer_nrm], next: s_b, ...}
        - {id: s_b, type: step, steps: [notify_dtn], next: done, ...}
        - {id: done, type: end}

    Fix: give one node of the loop a way on to an `end` (or a `goto`).
    """
    for pathway in ctx.pack.pathways.values():
        edges = graph.edges(pathway)
        stuck = set(edges) - _can_finish(pathway, edges)
        for node_id in sorted(stuck, key=list(pathway.node_map).index):
            if any(node_id in graph.reach(edges, t) for t in edges[node_id]):
                yield ctx.problem("node", f"{pathway.id}/{node_id}", ("id",),
                                  f"node '{node_id}' is on a loop with no way out to an end.")


@rule(ruleids.DEAD_END, Level.ERROR)
def dead_end(ctx: Context) -> Iterator[Problem]:
    """A node (not on a loop itself) from which no way on ever reaches an `end`.

    FAIL:
        - {id: q_consent, type: question, ..., options: [{value: "yes", next: s_loop_a}, ...]}
        # where s_loop_a only leads round a closed loop
    PASS:
        every way on from every node eventually reaches an `end` or a `goto`

    Fix: route the node (or the loop it leads into) to an `end`.
    """
    for pathway in ctx.pack.pathways.values():
        edges = graph.edges(pathway)
        for node_id in sorted(set(edges) - _can_finish(pathway, edges), key=list(edges).index):
            on_loop = any(node_id in graph.reach(edges, t) for t in edges[node_id])
            if not on_loop:
                yield ctx.problem("node", f"{pathway.id}/{node_id}", ("id",),
                                  f"no path from node '{node_id}' reaches an end.")


@rule(ruleids.OPTION_COVERAGE, Level.ERROR, cross_file=True)
def option_coverage(ctx: Context) -> Iterator[Problem]:
    """A question whose options do not cover every value of its fact.

    The fact may already be known when the question is reached (it is then not asked again),
    so a missing value would leave the user stuck.

    FAIL:
        - id: q_age
          type: question
          fact: under_18            # values: yes, no, unsure
          options:
            - {value: "yes", next: s_child}
            - {value: "no", next: q_consent}
    PASS:
          options:
            - {value: "yes", next: s_child}
            - {value: unsure, next: s_child}
            - {value: "no", next: q_consent}

    A question with a single option is taken as deliberate: it records a fact the user's
    situation settles (the NHS is never a First Responder). Whether a path can reach it with
    the fact already set to another value is checked on every path by `path-stuck`.

    Fix: add an option for each missing value.
    """
    for pathway in ctx.pack.pathways.values():
        for node in pathway.node_map.values():
            if isinstance(node, model.QuestionNode) and node.fact in ctx.pack.facts \
                    and len(node.options) > 1:
                given = {o.value for o in node.options}
                missing = [v for v in ctx.pack.facts[node.fact].allowed() if v not in given]
                if missing:
                    yield ctx.problem("node", f"{pathway.id}/{node.id}", ("options",),
                                      f"no option for {node.fact} = {', '.join(missing)}.")


@rule(ruleids.BRANCH_NO_OTHERWISE, Level.ERROR, cross_file=True)
def branch_no_otherwise(ctx: Context) -> Iterator[Problem]:
    """A branch without `otherwise` whose routes do not cover every combination of the facts
    they test: a user with that combination would be stuck.

    FAIL:
        - id: b_age
          type: branch
          routes:
            - {when: {fact: under_18, in: ["yes"]}, next: s_child}
            - {when: {fact: under_18, in: ["no"]}, next: q_consent}
    PASS:
          routes:
            - {when: {fact: under_18, in: ["yes", unsure]}, next: s_child}
          otherwise: q_consent

    Fix: add `otherwise:` (the catch-all), or a route for the combination in the message.
    """
    for pathway in ctx.pack.pathways.values():
        for node in pathway.node_map.values():
            if not isinstance(node, model.BranchNode) or node.otherwise is not None:
                continue
            known = frozenset().union(*(conditions.reads(r.when)[1] for r in node.routes))
            facts = sorted(set().union(*(conditions.facts_read(r.when) for r in node.routes)))
            # A fact tested with `known` may also not be answered yet (None).
            values: list[list[str | None]] = [
                [*ctx.pack.facts[f].allowed(), *([None] if f in known else [])] for f in facts]
            where = ("node", f"{pathway.id}/{node.id}", ("routes",))
            if math.prod(len(v) for v in values) > _MAX_COMBINATIONS:
                yield ctx.problem(*where, "too many combinations to check: add `otherwise`.")
                continue
            for combo in itertools.product(*values):
                facts_now = dict(zip(facts, combo, strict=True))
                answered = {f: v for f, v in facts_now.items() if v is not None}
                # As the engine judges a branch: reading the value of a fact not asked is no fit.
                if not any(conditions.evaluate(r.when, answered, unasked=None) for r in node.routes):
                    shown = ", ".join(f"{f} = {v or 'not answered'}" for f, v in facts_now.items())
                    yield ctx.problem(*where, f"no route fits {shown} and there is no `otherwise`.")
                    break
