"""Safety invariants checked on every path: the contract's, built in, and the pack's own
(directory/invariants.yaml)."""

from __future__ import annotations

from collections.abc import Iterator

from ms_navigator import ruleids, safety
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule


@rule(ruleids.SAFETY_RULE_BROKEN, Level.ERROR, mandatory=True, cross_file=True, complete=True)
def safety_rule_broken(ctx: Context) -> Iterator[Problem]:
    """A safety rule of the contract fails on some path of answers.

    These rules are built into ms-navigator, not read from the pack: deleting or editing
    `directory/invariants.yaml` cannot switch them off, and no lint configuration can disable
    or downgrade this rule (`mandatory` in the registry). They say when the fixed steps must,
    and must never, appear: `call_999` first in immediate danger and only then; `refer_nrm` for
    a child not yet in the NRM (no consent needed) or an adult who consents, never for an adult
    without consent or a person already in the NRM; `notify_dtn` for an adult with capacity who
    does not consent, never for a child or an adult who consents; consent is asked only when
    capacity is not in doubt, and never of a child;
    `safeguarding_children` for a child or age unsure, never for an adult; `confirm_nrm_status`
    when the status is unknown; `safeguarding_adults` for an adult with care and support needs
    (or maybe). And a step that declares what its words point the reader to (`mentions` in
    `directory/steps.yaml`) is only in plans that hold every step and service it names
    (`mentioned-in-plan`, reported at that step's `mentions`). The message names the rule
    broken and gives the shortest answers that break it, at the pathway's `start`.

    FAIL:
        - id: s_child                 # reached with under_18 yes
          type: step
          steps: [safeguarding_children, refer_nrm, notify_dtn]
    PASS:
          steps: [safeguarding_children, refer_nrm]

    Fix: replay the answers in the message (`ms-navigator start --pathway ID --answers FILE`)
    and correct the pathway.
    """
    for inv_id, example in sorted(ctx.search.broken.items()):
        if safety.is_built_in(inv_id):
            name = inv_id.removeprefix(safety.PREFIX)
            where = ("pathway", example.start, ("start",))
            if inv_id == safety.MENTIONED:  # at the step whose `mentions` the plan lacks
                step = next((b.split()[1] for b in example.broken if b.startswith("step ")), None)
                if step is not None and step in ctx.pack.steps:
                    where = ("step", step, ("mentions",))
            yield ctx.problem(*where, f"safety rule '{name}' (built in) is broken "
                              f"{example.describe()}.")


@rule(ruleids.INVARIANT_BROKEN, Level.ERROR, mandatory=True, cross_file=True, complete=True)
def invariant_broken(ctx: Context) -> Iterator[Problem]:
    """A safety invariant from `directory/invariants.yaml` fails on some path of answers.

    Every combination of answers from the start of every pathway is explored; the problem
    gives the shortest answers found that break the invariant, at the invariant's line. An
    invariant can require steps and services, forbid them, forbid facts being asked, name
    the first step, keep steps, services and contacts apart (`never_together`), allow them
    only when a condition holds (`only_when`), require what a step points to (`mentions`),
    and cap the plan's length (`max_steps`, `max_words`): docs/authoring.md, "Plans that
    never contradict themselves".

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
        if safety.is_built_in(inv_id):
            continue  # reported by safety-rule-broken
        yield ctx.problem("invariant", inv_id, ("id",),
                          f"invariant '{inv_id}' is broken {example.describe()}.")


@rule(ruleids.CONTRACT_FACT_VALUE, Level.ERROR, mandatory=True)
def contract_fact_value(ctx: Context) -> Iterator[Problem]:
    """A fact the contract's safety rules read has a value the contract does not give it.

    The built-in safety rules (`safety-rule-broken`) read `immediate_danger`, `under_18`,
    `has_capacity`, `consent_nrm`, `care_support_needs` and `nrm_status` with the values of
    CONTRACT section 2. A value of the pack's own would slip past them: with `awaiting` in
    place of `awaiting_rg`, a person already in the NRM could be referred again and no rule
    would see it. A pack may offer fewer of the contract's values, never another. Like the
    safety rules, this rule cannot be disabled or re-levelled.

    FAIL:
        - id: nrm_status
          values:
            - {value: awaiting, label: "Referred, waiting for the decision"}
    PASS:
            - {value: awaiting_rg, label: "Referred, waiting for the decision"}

    Fix: use the contract's value (`ms-navigator schema` and docs/contract.md list them).
    """
    for fact_id, allowed in safety.CONTRACT_VALUES.items():
        fact = ctx.pack.facts.get(fact_id)
        for i, value in enumerate(fact.values if fact is not None else ()):
            if value.value not in allowed:
                yield ctx.problem("fact", fact_id, ("values", i, "value"), (
                    f"'{value.value}' is not a value of '{fact_id}' in the contract, so the "
                    f"built-in safety rules cannot read it: use one of "
                    f"{', '.join(sorted(allowed))}."))


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


@rule(ruleids.STATE_LIMIT, Level.ERROR)
def state_limit(ctx: Context) -> Iterator[Problem]:
    """The exhaustive checks would meet more states at one question than the limit allows
    (1,000 by default), so the invariants and stuck paths were not checked at all.

    A state is a place to wait at together with the answers still to matter there. When a
    later node reads many earlier answers together, every combination of them is a state of
    its own: N chained yes/no questions that one branch reads all at once make 2^N paths,
    which no machine can check. The problem is placed at the question where the states
    pile up and names the answers kept apart. The same bound holds for one invariant whose
    own conditions keep many combinations of answers open (the message names it), and for
    the partial plans counted for the plan-length budgets (`max_steps`, `max_words`), where
    the pack has any: 20 at one question for each state allowed there.

    FAIL:
        # q0 ... q23 ask a yes/no fact each, then one branch reads all 24 answers together
        - id: all
          type: branch
          routes:
            - when: {all: [{fact: chain_0, in: ["yes"]}, ..., {fact: chain_23, in: ["yes"]}]}
    PASS:
        # each answer is acted on (or summed up in a fact of its own) soon after it is asked

    Fix: read each answer soon after asking it, so that paths merge again; if the pack really
    needs it, raise the limit with `--max-states N` or `MS_NAVIGATOR_MAX_STATES=N`
    (docs/ci.md): time and memory grow with it.
    """
    found = ctx.search.limit
    if found is not None:
        yield ctx.problem("node", f"{found.pathway}/{found.node}", (), f"{found}.")
