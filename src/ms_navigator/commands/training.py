"""A trainer's session: `walk`, `quiz` and `diagram`."""

from __future__ import annotations

import sys

from ms_navigator import loader
from ms_navigator.errors import Interrupted, NavigatorError, PackError, UnknownPathway


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


def scenarios(fmt: str) -> int:
    """List the shipped worked scenarios in their fixed order (by id): id and title, or JSON."""
    import json

    from ms_navigator import scenarios as worked

    found, problems = worked.load([worked.shipped_dir()])
    if problems:
        raise PackError(problems)
    rows = sorted(found, key=lambda pair: pair[0].id)
    if fmt == "json":
        # dict(...) rather than a literal: "file" is also the name of a lint rule.
        sys.stdout.write(json.dumps([dict(id=s.id, title=s.title, start=s.start,
                                          description=" ".join(s.description.split()), file=where)
                                     for s, where in rows], indent=2) + "\n")
        return 0
    width = max(len(s.id) for s, _ in rows)
    for s, _ in rows:
        sys.stdout.write(f"{s.id:<{width}}  {s.title}\n")
    return 0


def _first_scenario() -> str:
    from ms_navigator import scenarios as worked

    found, _ = worked.load([worked.shipped_dir()])
    if not found:
        raise NavigatorError("no worked scenarios are shipped: give a scenario file.")
    return min(s.id for s, _ in found)


def quiz(name: str | None, plain: bool, hide_answer: bool = False, start_at: int = 1) -> int:
    """Ask a trainee what the pathway does at each decision of a scenario; score at the end.

    Decisions come in the scenario's order. With `hide_answer` the pathway's answer waits
    until the trainer reveals it (a room votes first). Pause leaves with the command to carry
    on from the same decision; Quick exit (Ctrl-X) clears the screen and leaves.
    """
    from ms_navigator import prompts, walkthrough
    from ms_navigator import quiz as quizzes
    from ms_navigator import scenarios as worked
    from ms_navigator.render import terminal

    scenario, _ = worked.find(name or _first_scenario())
    items = quizzes.items(walkthrough.build(loader.load_pack_or_raise(), scenario))
    if not 1 <= start_at <= max(1, len(items)):
        raise NavigatorError(f"--from {start_at}: this quiz has {len(items)} decision(s).")
    plain = prompts.plain_wanted(plain)
    if not plain:
        prompts.require_terminal(QUIZ_NEEDS_TERMINAL)
    asker: prompts.Asker = (prompts.PlainAsker(ended=QUIZ_INPUT_ENDED) if plain
                            else prompts.QuestionaryAsker(leaving=QUIZ_LEAVING))
    console = terminal.console(plain=plain)
    console.print(terminal.walk_intro(scenario, "Quiz"))
    marked: list[tuple[quizzes.Item, int]] = []
    try:
        for number, item in enumerate(items[start_at - 1:], start_at):
            console.print(terminal.quiz_item(item, number, len(items)))
            picked = asker.ask(item.as_question(), can_go_back=False)
            if hide_answer and picked not in (prompts.PAUSE, prompts.QUIT):
                console.print(f"Picked: {quizzes.letter(int(picked))}.")
                revealed = asker.ask(quizzes.reveal_question(item), can_go_back=False)
                if revealed in (prompts.PAUSE, prompts.QUIT):
                    picked = revealed
            if picked in (prompts.PAUSE, prompts.QUIT):
                return _leave_quiz(name or scenario.id, number, len(items), picked == prompts.QUIT)
            console.print(terminal.quiz_feedback(item, int(picked)))
            marked.append((item, int(picked)))
    except KeyboardInterrupt:
        raise Interrupted("interrupted; the quiz stopped.") from None
    console.print(terminal.quiz_score(quizzes.score(marked)))
    return 0


QUIZ_LEAVING = (("Pause: stop here; you are told how to carry on from this decision"),
                ("Quick exit: clear the screen and leave now (Ctrl-X)"))
"""The quiz's labels for Pause and Quick exit (a quiz keeps nothing on disk)."""


def _leave_quiz(name: str, number: int, total: int, quick: bool) -> int:
    """Leave the quiz: the quick exit clears the screen; a pause says how to carry on."""
    from ms_navigator import visit
    from ms_navigator.render import terminal

    if quick:
        if sys.stdout.isatty() and not terminal.is_dumb():
            sys.stdout.write(visit.CLEAR_SCREEN)
        sys.stdout.write("Quick exit.\n")
    else:
        sys.stdout.write(f"Paused at decision {number} of {total}. To carry on: "
                         f"ms-navigator quiz {name} --from {number}\n")
    sys.stdout.flush()
    return 0
