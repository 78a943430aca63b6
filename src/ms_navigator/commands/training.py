"""A trainer's session: `walk`, `quiz` and `diagram`."""

from __future__ import annotations

import sys

from ms_navigator import loader
from ms_navigator.errors import Interrupted, UnknownPathway


def diagram(item: str, fmt: str) -> int:
    """Print a pathway as a diagram in the chosen format."""
    from ms_navigator.render import diagram as diagrams

    pack = loader.load_pack_or_raise()
    if item not in pack.pathways:
        raise UnknownPathway(f"there is no pathway '{item}'. Run 'ms-navigator list' to see the ids.")
    sys.stdout.write(diagrams.RENDERERS[fmt](pack, pack.pathways[item]))
    return 0


def walk(name: str, pause: bool | None, plain: bool = False) -> int:
    """Replay a scenario question by question; pause for Enter between them on a terminal."""
    from ms_navigator import prompts, scenarios, walkthrough
    from ms_navigator.render import terminal

    scenario, _ = scenarios.find(name)
    walk_through = walkthrough.build(loader.load_pack_or_raise(), scenario)
    if pause is None:
        pause = prompts.is_terminal(sys.stdin) and prompts.is_terminal(sys.stdout)
    console = terminal.console(plain=prompts.plain_wanted(plain))
    console.print(terminal.walk_intro(scenario))
    total = len(walk_through.frames)
    try:
        for frame in [*walk_through.frames, None]:
            if pause:
                what = "the next question" if frame is not None else "the plan"
                typed = prompts.wait_for_enter(f"Press Enter for {what} (q to stop, x quick exit) ")
                if typed:
                    return _walk_stopped(typed == prompts.QUIT)
            if frame is not None:
                console.print(terminal.walk_frame(frame, total))
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the walk-through stopped.") from None
    console.print(terminal.walk_end(walk_through))
    return 0


def _walk_stopped(quick_exit: bool) -> int:
    """End a walk-through early; the quick exit also clears the screen (a walk saves nothing)."""
    from ms_navigator import visit

    if quick_exit:
        visit.clear_screen()
    return 0


QUIZ_NEEDS_TERMINAL = ("ms-navigator quiz asks the trainee at each decision and needs a terminal. "
                       "With --plain it reads choice numbers, one a line, which also works from a pipe.")


QUIZ_INPUT_ENDED = "the input ended before the quiz did: --plain reads one choice number a line."


def quiz(name: str | None, plain: bool) -> int:
    """Ask a trainee what the pathway does at each decision of a scenario; score at the end."""
    import random

    from ms_navigator import prompts, scenarios, walkthrough
    from ms_navigator import quiz as quizzes
    from ms_navigator.render import terminal

    if name is None:
        found, _ = scenarios.load([scenarios.shipped_dir()])
        name = random.choice(sorted(s.id for s, _ in found))
    scenario, _ = scenarios.find(name)
    items = quizzes.items(walkthrough.build(loader.load_pack_or_raise(), scenario))
    plain = prompts.plain_wanted(plain)
    if not plain:
        prompts.require_terminal(QUIZ_NEEDS_TERMINAL)
    asker = prompts.PlainAsker(ended=QUIZ_INPUT_ENDED) if plain else prompts.QuestionaryAsker()
    console = terminal.console(plain=plain)
    console.print(terminal.walk_intro(scenario, "Quiz"))
    marked: list[tuple[quizzes.Item, int]] = []
    try:
        for number, item in enumerate(items, 1):
            console.print(terminal.quiz_item(item, number, len(items)))
            picked = int(asker.ask(item.as_question(), can_go_back=False))
            console.print(terminal.quiz_feedback(item, picked))
            marked.append((item, picked))
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the quiz stopped.") from None
    console.print(terminal.quiz_score(quizzes.score(marked)))
    return 0
