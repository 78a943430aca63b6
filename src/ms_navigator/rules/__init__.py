"""The lint rules: an explicit registry of small, documented units with stable kebab-case ids.

`ms-navigator lint --list-rules` and `docs/rules.md` are both made from the rules' docstrings.
"""

from __future__ import annotations

from types import ModuleType

from ms_navigator.rules import content, flow, invariants, loading, scenarios, table
from ms_navigator.rules.base import Context, Rule

__all__ = ["RULES", "Context", "Rule", "get"]


def _collect(*modules: ModuleType) -> dict[str, Rule]:
    """Return every Rule defined at the top of the modules (alone or in a tuple), in order, by id."""
    found: dict[str, Rule] = {}
    for module in modules:
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Rule):
                    found[item.id] = item
    return found


RULES: dict[str, Rule] = _collect(loading, flow, table, content, scenarios, invariants)


def get(rule_id: str) -> Rule:
    """Return the rule with this id; ValueError if there is none."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise ValueError(f"no lint rule '{rule_id}'; known: {', '.join(RULES)}") from None
