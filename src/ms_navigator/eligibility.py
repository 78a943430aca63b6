"""The specialist support table (protocol 4.3) as a decision table: status, gender and the
facts its rows' `when` read in, services out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ms_navigator import conditions, model, wording

if TYPE_CHECKING:
    from ms_navigator.engine import Answered


@dataclass(frozen=True)
class Offer:
    """A service open to the person, with a note when the officer must check who it serves."""

    service: model.Service
    contact: model.Contact
    note: str | None = None
    because: tuple[Answered, ...] | None = None
    """The answers that put this service in the plan (see `because.py`): None until worked
    out, empty when no single answer decides it."""

    def as_dict(self) -> dict[str, object]:
        """Return the contract's service object (id, name, contact, source) and what it offers."""
        return {
            "id": self.service.id,
            "name": self.service.name,
            "contact": self.contact.describe(),
            "source": self.service.source,
            "offers": self.service.offers,
            "who_for": self.service.who_for,
            "note": self.note,
        }


def columns_for(table: model.EligibilityTable, nrm_status: str) -> list[model.Column]:
    """Return the table columns that apply to an NRM status (all of them when it is unknown)."""
    if nrm_status in table.status_unknown.values:
        return list(table.columns)
    return [c for c in table.columns if nrm_status in c.nrm_status]


def row_applies(table: model.EligibilityTable, row: model.Row, nrm_status: str) -> bool:
    """Return True when the row is ticked for this status (in every column, if status is unknown)."""
    columns = columns_for(table, nrm_status)
    if not columns:
        return False
    ticks = [row.cells.get(c.id, False) for c in columns]
    return all(ticks) if nrm_status in table.status_unknown.values else any(ticks)


def gender_fit(row: model.Row, gender: str | None) -> model.GenderFit:
    """Return yes, no or check: whether a service serves someone of this gender."""
    if row.genders is None:
        return "yes"
    if gender is None:
        return "check"
    return row.genders.get(gender, "no")


def condition_fits(row: model.Row, facts: Mapping[str, str] | None) -> conditions.Truth:
    """Return whether the row's `when` holds on these facts: True (or no `when`), False, or None
    where it reads a fact not given (the table rules, `services` without the answer). A row
    that may apply is listed, saying when it does, rather than silently left out."""
    if row.when is None:
        return True
    return conditions.evaluate(row.when, facts or {}, unasked=None)


def offers(pack: model.Pack, table_id: str, nrm_status: str, gender: str | None,
           facts: Mapping[str, str] | None = None) -> list[Offer]:
    """Return the services the table opens to this status and gender (and, for rows with a
    `when`, to these facts), in the table's order."""
    table = pack.tables[table_id]
    found: list[Offer] = []
    for row in table.rows:
        fits = condition_fits(row, facts)
        if not row_applies(table, row, nrm_status) or fits is False:
            continue
        fit = gender_fit(row, gender)
        if fit == "no":
            continue
        service = pack.services[row.service]
        notes = [f"{table.gender_check_note} ({service.who_for})"] if fit == "check" else []
        if fits is None and row.when is not None:
            notes.append(f"Only where: {wording.condition_words(pack, row.when)}.")
        found.append(Offer(service, pack.contacts[service.contact], " ".join(notes) or None))
    return found


def direct_offer(pack: model.Pack, service_id: str) -> Offer:
    """Return a service offered by a pathway directly, outside the table."""
    service = pack.services[service_id]
    return Offer(service, pack.contacts[service.contact])
