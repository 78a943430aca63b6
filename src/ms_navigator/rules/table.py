"""The eligibility table checked as a decision table: complete, every row can fire, no repeats."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ms_navigator import conditions, eligibility, model, ruleids
from ms_navigator.problems import Level, Problem
from ms_navigator.rules.base import Context, rule


def _combinations(pack: model.Pack) -> list[tuple[str, str]]:
    """Return every (nrm_status, gender) pair the table must answer."""
    return [(s, g) for s in _values(pack, "status") for g in _values(pack, "gender")]


def _conditions(pack: model.Pack, table: model.EligibilityTable) -> list[dict[str, str]]:
    """Return every combination of values of the facts the rows' `when` read (one empty
    combination when no row has a `when`): a status and gender is answered only if it is
    answered whatever those facts are."""
    inputs = pack.policy.table_inputs
    read = sorted(set().union(*(conditions.facts_read(r.when) for r in table.rows
                                if r.when is not None)) - {inputs.status, inputs.gender})
    values = [pack.facts[f].allowed() if f in pack.facts else [] for f in read]
    return [dict(zip(read, combo, strict=True)) for combo in itertools.product(*values)]


def _served(pack: model.Pack, table: model.EligibilityTable, status: str, gender: str | None,
            facts: dict[str, str]) -> bool:
    """Return whether the table lists a service for this status, gender and these facts (a
    row's `when` reads the status and gender as the table does)."""
    return bool(eligibility.offers(pack, table.id, status, gender,
                                   _given(pack, status, gender, facts)))


def _given(pack: model.Pack, status: str, gender: str | None,
           facts: dict[str, str]) -> dict[str, str]:
    inputs = pack.policy.table_inputs
    return {**facts, inputs.status: status, **({inputs.gender: gender} if gender else {})}


def _said(facts: dict[str, str]) -> str:
    return "".join(f", {fact} = {value}" for fact, value in facts.items())


def _values(pack: model.Pack, which: str) -> list[str]:
    """Return the values of one of the table's input facts (policy.yaml's `table_inputs`)."""
    fact = pack.facts.get(getattr(pack.policy.table_inputs, which))
    return fact.allowed() if fact is not None else []


def _gap_at(table: model.EligibilityTable, status: str, gender: str) -> int | None:
    return next((i for i, gap in enumerate(table.gaps)
                 if gap.nrm_status == status and gap.gender == gender), None)


@rule(ruleids.TABLE_GAP, Level.ERROR, cross_file=True)
def table_gap(ctx: Context) -> Iterator[Problem]:
    """A combination of NRM status and gender for which the table offers no service, and
    which is not listed under `gaps` with a reason.

    Every combination is enumerated, with every value of the facts that rows' `when` read (a
    gap covers its status and gender whatever those are); a survivor must never silently get
    nothing.

    FAIL:
        rows where no row is ticked for `negative_cg` and open to `male`
    PASS:
        gaps:
          - nrm_status: negative_cg
            gender: male
            reason: "Protocol 4.3 lists no service; the plan points to the helpline instead."

    Fix: tick the right cells, or record the gap and why it is right.
    """
    for table in ctx.pack.tables.values():
        situations = _conditions(ctx.pack, table)
        for status, gender in _combinations(ctx.pack):
            if _gap_at(table, status, gender) is not None:
                continue
            facts = next((f for f in situations
                          if not _served(ctx.pack, table, status, gender, f)), None)
            if facts is not None:
                message = (f"nrm_status = {status}, gender = {gender}{_said(facts)} gets no "
                           "service and is not listed under `gaps` with a reason.")
                yield ctx.problem("table", table.id, ("rows",), message)


@rule(ruleids.TABLE_STALE_GAP, Level.WARNING, cross_file=True)
def table_stale_gap(ctx: Context) -> Iterator[Problem]:
    """A `gaps` entry for a combination that does get services (or that cannot happen).

    FAIL:
        gaps:
          - {nrm_status: positive_cg, gender: female, reason: "..."}   # rows serve this
    PASS:
        gaps: []

    Fix: delete the entry.
    """
    for table in ctx.pack.tables.values():
        combos = set(_combinations(ctx.pack))
        situations = _conditions(ctx.pack, table)
        for i, gap in enumerate(table.gaps):
            if (gap.nrm_status, gap.gender) not in combos:
                yield ctx.problem("table", table.id, ("gaps", i),
                                  "this gap is not a combination of nrm_status and gender values.")
            elif all(_served(ctx.pack, table, gap.nrm_status, gap.gender, facts)
                     for facts in situations):
                yield ctx.problem("table", table.id, ("gaps", i),
                                  f"nrm_status = {gap.nrm_status}, gender = {gap.gender} does get "
                                  "services: this gap is out of date.")


@rule(ruleids.TABLE_ROW_NEVER_FIRES, Level.WARNING, cross_file=True)
def table_row_never_fires(ctx: Context) -> Iterator[Problem]:
    """A row that no combination of NRM status and gender (and of the facts its `when` reads)
    can select: its service is never offered.

    FAIL:
        - service: kairos
          cells: {in_nrm: false, not_in_nrm: false, negative: false, positive: false}
    PASS:
        - service: kairos
          cells: {in_nrm: true, not_in_nrm: true, negative: true, positive: true}

    Fix: tick the cells the protocol ticks, or remove the row.
    """
    for table in ctx.pack.tables.values():
        statuses = _values(ctx.pack, "status")
        genders: list[str | None] = [*_values(ctx.pack, "gender"), None]
        situations = _conditions(ctx.pack, table)
        for r, row in enumerate(table.rows):
            fires = any(eligibility.row_applies(table, row, s)
                        and eligibility.gender_fit(row, g) != "no"
                        and eligibility.condition_fits(row, _given(ctx.pack, s, g, f)) is not False
                        for s in statuses for g in genders for f in situations)
            if not fires:
                yield ctx.problem("table", table.id, ("rows", r),
                                  f"the row for '{row.service}' never applies to anyone.")


@rule(ruleids.TABLE_DUPLICATE_ROW, Level.ERROR)
def table_duplicate_row(ctx: Context) -> Iterator[Problem]:
    """A second row for a service that already has one: the two could disagree.

    FAIL:
        - {service: adavu, cells: {in_nrm: true, ...}}
        - {service: adavu, cells: {in_nrm: false, ...}}
    PASS:
        - {service: adavu, cells: {in_nrm: true, ...}}

    Fix: merge the rows into one.
    """
    for table in ctx.pack.tables.values():
        first: dict[str, int] = {}
        for r, row in enumerate(table.rows):
            if row.service in first:
                yield ctx.problem("table", table.id, ("rows", r, "service"),
                                  f"'{row.service}' already has a row (row {first[row.service] + 1}).")
            else:
                first[row.service] = r
