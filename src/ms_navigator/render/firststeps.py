"""What to do first: the few steps a reader acts on before reading the rest of the plan.

One function decides them (`first_steps`), so that the screen's compact view, the end of the
plan on screen and the printable summary all agree.
"""

from __future__ import annotations

from ms_navigator import model
from ms_navigator.engine import Plan, PlannedStep

MOST = 5
"""At most this many steps are "first" (contract, section 3: `do_first` has at most 5)."""
FIRST_URGENCIES = (model.Urgency.NOW, model.Urgency.TODAY)


def first_steps(plan: Plan) -> tuple[PlannedStep, ...]:
    """Return the steps to do first, in the order to do them.

    When the plan carries `do_first` (step ids, contract section 3), those steps, in its order.
    Until then: the steps marked now or today, at most MOST, in the plan's order (which puts
    `call_999` first whenever it is there). This is the one place to change when the plan's
    own `do_first` is the rule everywhere.
    """
    chosen = getattr(plan, "do_first", None)
    if chosen is not None:  # step ids (the contract's JSON) or the planned steps themselves
        by_id = {planned.step.id: planned for planned in plan.steps}
        picked = [item if isinstance(item, PlannedStep) else by_id.get(str(item)) for item in chosen]
        return tuple(p for p in picked if p is not None)[:MOST]
    return tuple(p for p in plan.steps if p.step.urgency in FIRST_URGENCIES)[:MOST]


def first_lines(plan: Plan) -> list[str]:
    """Return the steps to do first as numbered plain lines (urgency in words, then the summary)."""
    from ms_navigator.wording import step_summary

    return [f"{n}. {model.URGENCY_LABELS[p.step.urgency]}: {step_summary(p.step, limit=1000)}"
            for n, p in enumerate(first_steps(plan), 1)]
