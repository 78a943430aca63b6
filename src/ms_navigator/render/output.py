"""The plan and the case summary as text for a file or a pipe (pure: strings in, strings out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ms_navigator import engine, model


def plan_text(plan: engine.Plan, fmt: str, width: int = 100, explain: bool = False) -> str:
    """Return the plan as text in one of the formats, for a file or a pipe."""
    if fmt == "json":
        from ms_navigator.render import jsonfmt

        return jsonfmt.dumps(jsonfmt.plan_data(plan))
    if fmt == "markdown":
        from ms_navigator.render import markdown

        return markdown.render_plan(plan)
    import io

    from rich.console import Console

    from ms_navigator.render import terminal

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False)
    drawn = terminal.plan(plan, explain)
    # without styles (FORCE_COLOR gives them even here) the lines are laid out without
    # rich's rendering, which was most of the time of `start --answers` after its imports
    lines = terminal.plain_lines(drawn, width) if console.color_system is None else None
    if lines is None:
        console.print(drawn)
        text = buffer.getvalue()
    else:
        text = "".join(line + "\n" for line in lines)  # what rich writes: each line ended
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def summary_text(pack: model.Pack, plan: engine.Plan, fmt: str, notes: str | None,
                  explain: bool = False) -> str:
    """Return the case summary for --output: Markdown, JSON or printable text, with the record."""
    from ms_navigator.record import record_for

    if fmt == "json":
        from ms_navigator.render import jsonfmt

        return jsonfmt.dumps(jsonfmt.summary_data(plan, record_for(pack, plan, notes)))
    if fmt == "markdown":
        from ms_navigator.render import markdown

        return markdown.render_summary(plan, record_for(pack, plan, notes))
    from ms_navigator.render import printable

    return printable.render_summary(plan, record_for(pack, plan, notes))
