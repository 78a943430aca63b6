"""The ids a pack's worked scenarios use, checked against the pack like any other reference."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ms_navigator import ruleids, scenarios
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule


@rule(ruleids.SCENARIO_UNKNOWN_ID, Level.ERROR, cross_file=True, complete=True)
def scenario_unknown_id(ctx: Context) -> Iterator[Problem]:
    """A scenario names a pathway, fact, value, step or service that the pack does not have.

    A misspelt id in `no_steps` or `no_services` would pass for ever (the plan never holds
    it), and one in `given` would test other answers than the author meant. Checked once every
    file of the pack reads (until then `pack-not-checked` fails the run).

    FAIL:
        expect:
          no_steps: [notify_dnt]
    PASS:
        expect:
          no_steps: [notify_dtn]

    Fix: correct the spelling (the message suggests the likely id).
    """
    for file in ctx.scenarios:
        for loc, what, ref, known in scenarios.unknown_ids(ctx.pack, file.scenario):
            close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            yield Problem(file.path, *file.at(*loc), "", Level.ERROR,
                          f"the scenario names an unknown {what} '{ref}'.{hint}")
