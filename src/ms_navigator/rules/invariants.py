"""The pack's own safety invariants (directory/invariants.yaml), checked on every path."""

from __future__ import annotations

from collections.abc import Iterator

from ms_navigator import ruleids
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule


@rule(ruleids.INVARIANT_BROKEN, Level.ERROR, mandatory=True, cross_file=True, complete=True)
def invariant_broken(ctx: Context) -> Iterator[Problem]:
    """A safety invariant from `directory/invariants.yaml` fails on some path of answers.

    Every combination of answers from the start of every pathway is explored; the problem
    gives the shortest answers found that break the invariant, at the invariant's line.

    FAIL:
        - id: child-always-referred
          when: {fact: under_18, in: ["yes", unsure]}
          require: {steps: [refer_nrm]}
        # while nrm-pre.yaml sends `under_18: unsure` to a node without refer_nrm
    PASS:
        every path with under_18 yes or unsure reaches a step node listing refer_nrm

    Fix: replay the answers in the message (`ms-navigator start --pathway ID --answers FILE`)
    and correct the pathway; change the invariant only if the protocol says otherwise.
    """
    for inv_id, example in sorted(ctx.search.broken.items()):
        yield ctx.problem("invariant", inv_id, ("id",),
                          f"invariant '{inv_id}' is broken {example.describe()}.")


@rule(ruleids.PATH_STUCK, Level.ERROR, mandatory=True, cross_file=True, complete=True)
def path_stuck(ctx: Context) -> Iterator[Problem]:
    """Some answers lead where the engine cannot finish: round a loop through `goto`s, to a
    branch no route fits, or to a question with no option for a fact already known.

    Found by the same search as `invariant-broken`; the message gives the shortest answers
    from the pathway's start, and is placed at its `start`.

    FAIL:
        # nrm-pre.yaml sends `unsure` to a node that hands over to a pathway which hands back
        - {value: unsure, next: g_during}
    PASS:
        - {value: unsure, next: s_child}

    Fix: replay the answers and break the loop, or add the missing route or option.
    """
    for start, example in sorted(ctx.search.stuck.items()):
        yield ctx.problem("pathway", start, ("start",),
                          f"the walk cannot finish {example.describe()}.")


@rule(ruleids.INVARIANT_VACUOUS, Level.WARNING, cross_file=True, complete=True)
def invariant_vacuous(ctx: Context) -> Iterator[Problem]:
    """An invariant whose `when` holds on no path at all, so it guards nothing (often a typo,
    or facts that are never asked together).

    FAIL:
        when:
          all:
            - {fact: under_18, in: ["yes"]}
            - {fact: consent_nrm, in: ["yes"]}    # a child is never asked for consent
    PASS:
        when: {fact: consent_nrm, in: ["yes"]}

    Fix: correct the condition so that it describes people the pathways really meet.
    """
    for inv_id in ctx.search.vacuous:
        yield ctx.problem("invariant", inv_id, ("when",),
                          f"invariant '{inv_id}' applies on no path: its `when` never holds.")
