"""In-process timings of the engine: exhaustive verification, and one question-to-question step.

These run inside one process on purpose: they measure the engine and the renderers, not the
interpreter's start-up (which the whole-process figures cover).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ms_navigator import engine, invariants, loader, model


@dataclass
class Exhaustive:
    """One exhaustive run: every path from the start of every shipped pathway."""

    ms: float
    paths: int
    states: int
    broken: int
    invariants: int
    lengths: invariants.Lengths | None
    """How long the plans at the ends of every path are (the plan budgets of docs/performance.md)."""


def exhaustive(pack: model.Pack, repeats: int) -> Exhaustive:
    """Check the pack's invariants on every path of every pathway, as `lint` does (the search
    behind `invariant-broken`, `path-stuck` and `invariant-vacuous`); median ms of `repeats`."""
    times, result = [], invariants.search(pack)
    for _ in range(repeats):
        began = time.perf_counter()
        result = invariants.search(pack)
        times.append((time.perf_counter() - began) * 1000)
    return Exhaustive(statistics.median(times), result.paths, result.states,
                      len(result.broken) + len(result.stuck), len(pack.invariants),
                      result.lengths)


def _transitions(pack: model.Pack) -> list[tuple[engine.Session, str]]:
    """Return, for every answer to every question node that leads to another question, the
    first session (depth-first) that stands at that node: each edge of the pathways once."""
    seen: dict[tuple[str, str, str], tuple[engine.Session, str]] = {}
    expanded: set[tuple[str, str]] = set()  # a question's edges are the same however it is reached
    for start in pack.starts:  # the preamble is not a start of its own
        todo = [engine.walk(pack, engine.start(pack, start))]
        while todo:
            walk = todo.pop()
            if walk.pending is None or (walk.pending.pathway, walk.pending.node) in expanded:
                continue
            q = walk.pending
            expanded.add((q.pathway, q.node))
            for value in q.values():
                after = engine.proceed(pack, walk, value)
                if after.pending is not None:
                    seen.setdefault((q.pathway, q.node, value),
                                    (engine.Session(start, walk.answers), value))
                    todo.append(after)
    return list(seen.values())


@dataclass
class Transition:
    """Medians (and the worst case) in ms of one answer to the next question on screen."""

    count: int
    engine: float
    rendered: float
    rendered_worst: float
    prompted: float


def transition(pack: model.Pack, repeats: int) -> Transition:
    """Time every question-to-question transition on the shipped pathways, three ways.

    `engine`: record the answer and replay the walk. `rendered`: that, plus printing the
    guidance and context through rich into a real console writing terminal text to a buffer:
    what ms-navigator itself does between two questions. `prompted`: that, plus building and
    running the next questionary prompt (prompt_toolkit rendering to a VT100 output, Enter
    already in its input), the third-party widget. Each transition's figure is the median of
    `repeats`; the result is the median over transitions, and the worst for `rendered`.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output
    from rich.console import Console

    from ms_navigator import prompts
    from ms_navigator.render import terminal

    screen = io.StringIO()
    console = Console(file=screen, width=100, force_terminal=True, highlight=False)
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="xterm")
    asker = prompts.QuestionaryAsker()

    def engine_only(session: engine.Session, value: str) -> engine.Walk:
        return engine.walk(pack, engine.answer(pack, session, value))

    def rendered(session: engine.Session, value: str) -> engine.Walk:
        walk = engine_only(session, value)
        for note in walk.guidance_since_last_answer:
            console.print(terminal.guidance(note))
        if walk.pending is not None:
            context = terminal.question_context(walk.pending)
            if context is not None:
                console.print(context)
        screen.seek(0)
        screen.truncate()
        return walk

    def prompted(session: engine.Session, value: str) -> None:
        walk = rendered(session, value)
        assert walk.pending is not None
        with create_pipe_input() as keys, create_app_session(input=keys, output=output):
            keys.send_text("\r")
            asker.ask(walk.pending, can_go_back=True)
        screen.seek(0)
        screen.truncate()

    def each(step: Callable[[engine.Session, str], object], pairs: list[Any]) -> list[float]:
        figures = []
        for session, value in pairs:
            times = []
            for _ in range(repeats + 1):
                began = time.perf_counter()
                step(session, value)
                times.append((time.perf_counter() - began) * 1000)
            figures.append(statistics.median(times[1:]))  # the first run warms caches
        return figures

    pairs = _transitions(pack)
    with_render = each(rendered, pairs)
    return Transition(len(pairs), statistics.median(each(engine_only, pairs)),
                      statistics.median(with_render), max(with_render),
                      statistics.median(each(prompted, pairs[:: max(1, len(pairs) // 50)])))


def load_ms(repeats: int) -> tuple[model.Pack, float, float]:
    """Return the shipped pack and the median ms, in a warm process, to load and check it in full
    (`loader.load_pack`, what lint does) and to build it from the data checked beside the code
    (`loader.load_pack_or_raise` while the YAML is unchanged, what `start` does)."""

    def median_of(load: Callable[[], object]) -> float:
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            load()
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)

    return loader.load_pack_or_raise(), median_of(loader.load_pack), median_of(loader.load_pack_or_raise)
