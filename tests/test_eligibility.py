"""The specialist support table (protocol 4.3), checked cell by cell against the protocol."""

from __future__ import annotations

import pytest

from ms_navigator import eligibility

# Transcribed from the protocol's table (columns: in the NRM yes / no, negative RG or CG,
# positive RG or CG), independently of the YAML, so that a typo in either is caught.
TICKS = {
    "msvcc":              (1, 0, 0, 1),
    "wmasn-imsa":         (1, 1, 1, 1),
    "adavu":              (1, 1, 1, 1),
    "hope-for-justice":   (1, 1, 1, 1),
    "hope-at-home":       (1, 0, 0, 1),
    "sophie-hayes":       (1, 1, 1, 1),
    "kairos":             (1, 1, 1, 1),
    "medaille-moving-on": (1, 1, 1, 1),
    "bcwa-sece":          (0, 1, 0, 0),
    "wmasn-safeplace":    (0, 1, 0, 0),
}
WOMEN_ONLY = {"kairos", "bcwa-sece"}
STATUS_COLUMNS = {
    "awaiting_rg": [0], "positive_rg": [0, 3], "not_referred": [1],
    "negative_rg": [2], "negative_cg": [2], "positive_cg": [3],
}


def expected(status: str, gender: str | None) -> list[str]:
    if status == "unknown":
        ids = [s for s, t in TICKS.items() if all(t)]
    else:
        ids = [s for s, t in TICKS.items() if any(t[c] for c in STATUS_COLUMNS[status])]
    return [s for s in ids if not (gender == "male" and s in WOMEN_ONLY)]


@pytest.mark.parametrize("gender", ["female", "male", "other", None])
@pytest.mark.parametrize("status", [*STATUS_COLUMNS, "unknown"])
def test_services_match_the_protocol_table(pack, status: str, gender: str | None) -> None:
    found = eligibility.offers(pack, "specialist-support", status, gender)
    assert [o.service.id for o in found] == expected(status, gender)


@pytest.mark.parametrize("gender", ["other", None])
def test_women_only_services_carry_a_check_note_when_gender_is_not_female(pack, gender) -> None:
    found = eligibility.offers(pack, "specialist-support", "not_referred", gender)
    notes = {o.service.id: o.note for o in found}
    assert notes["kairos"] and "check" in notes["kairos"].lower()
    assert notes["bcwa-sece"] and notes["adavu"] is None


def test_female_gets_no_check_note(pack) -> None:
    assert all(o.note is None for o in eligibility.offers(pack, "specialist-support", "not_referred", "female"))


def test_every_service_object_has_the_contract_keys(pack) -> None:
    for offer in eligibility.offers(pack, "specialist-support", "positive_rg", "female"):
        data = offer.as_dict()
        assert {"id", "name", "contact", "source"} <= set(data)
        assert all(isinstance(data[k], str) and data[k] for k in ("id", "name", "contact", "source"))
