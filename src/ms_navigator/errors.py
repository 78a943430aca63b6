"""The errors ms-navigator expects, each mapped to one exit code by the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ms_navigator.problems import Problem


class NavigatorError(Exception):
    """Base class: an expected failure that is shown as a message, never a traceback."""

    exit_code = 2


class PackError(NavigatorError):
    """The pathway files could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownPathway(NavigatorError):
    """A pathway id that the pack does not contain."""


class InvalidAnswer(NavigatorError):
    """An answer names a fact that does not exist or a value the fact does not allow."""

    def __init__(self, message: str, fact: str | None = None) -> None:
        self.fact = fact
        super().__init__(message)


class AnswersFileError(NavigatorError):
    """An answers file could not be read or is not a mapping of fact to value."""


class MissingAnswer(NavigatorError):
    """A scripted run reached a question whose fact the answers file does not give."""

    def __init__(self, fact: str, question: str, options: list[str]) -> None:
        self.fact = fact
        self.question = question
        self.options = options
        super().__init__(
            f"The answers do not say '{fact}', which the question "
            f"\"{question}\" needs. Add '{fact}: <value>' with one of: {', '.join(options)}."
        )

    def as_json(self) -> dict[str, object]:
        """Return the contract's `missing_answer` object."""
        return {
            "error": "missing_answer",
            "fact": self.fact,
            "question": self.question,
            "options": list(self.options),
        }


class FlowError(NavigatorError):
    """The pathway itself went wrong while running (a loop, a missing fact); a content bug."""


class InteractiveSessionError(NavigatorError):
    """Questions cannot be asked here (no terminal, or stdin closed)."""


class Interrupted(NavigatorError):
    """The user pressed Ctrl-C."""

    exit_code = 130


class StateLimit(NavigatorError):
    """The exhaustive checks met more states at one question than the limit allows: answers
    that all stay relevant to what comes later multiply (2^N for N yes/no questions). `by`
    names the invariant that keeps them apart, where it is one invariant's conditions and not
    the pathway's nodes."""

    def __init__(self, pathway: str, node: str, limit: int, facts: tuple[str, ...],
                 by: str | None = None) -> None:
        self.pathway = pathway
        self.node = node
        self.limit = limit
        self.facts = facts
        self.by = by
        super().__init__(self._message())

    def _message(self) -> str:
        facts = self.facts
        kept = ", ".join(facts[:12]) + (f" and {len(facts) - 12} more" if len(facts) > 12 else "")
        reader = (f"invariant '{self.by}' reads them all" if self.by is not None
                  else "nodes ahead still read them all")
        return (f"more than {self.limit:,} different states wait at question '{self.node}' of "
                f"pathway '{self.pathway}': the answers to {kept or 'the questions before it'} "
                f"are all still needed ({reader}), so every combination of them is checked "
                "apart. Read each answer soon after asking it (a branch or condition that reads "
                "many earlier answers multiplies the paths), or raise the limit with "
                "--max-states (or MS_NAVIGATOR_MAX_STATES)")


class PlanLimit(StateLimit):
    """Counting the plans' lengths met more partial plans than the limit allows: the same
    steps can be added again in many places, so which of them a plan already holds keeps
    paths apart. Raised only where a budget (`max_steps`, `max_words`) needs the lengths;
    otherwise the lengths are just not reported (`plan_limit_message`)."""

    def __init__(self, pathway: str, node: str, limit: int, per_state: int) -> None:
        self.per_state = per_state
        super().__init__(pathway, node, limit, ())

    def _message(self) -> str:
        return plan_limit_message(self.limit) + (
            ", so the plan-length budgets (max_steps, max_words) of the invariants cannot be "
            "checked. Raise the limit with --max-states (or MS_NAVIGATOR_MAX_STATES), which "
            f"allows {self.per_state} partial plans for each state allowed at one question")


def plan_limit_message(limit: int) -> str:
    """Return why the plan lengths were not counted, at this limit of partial plans."""
    return (f"more than {limit:,} partial plans had to be counted apart at one question (the same steps are "
            "added again in many places, so which of them a plan already holds keeps paths "
            "apart)")
