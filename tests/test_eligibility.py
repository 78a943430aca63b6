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


SEXUAL_EXPLOITATION = WOMEN_ONLY
"""The protocol describes both women-only services as for survivors of sexual exploitation."""


def expected(status: str, gender: str | None, sexual: str = "yes") -> list[str]:
    if status == "unknown":
        ids = [s for s, t in TICKS.items() if all(t)]
    else:
        ids = [s for s, t in TICKS.items() if any(t[c] for c in STATUS_COLUMNS[status])]
    ids = [s for s in ids if not (sexual == "no" and s in SEXUAL_EXPLOITATION)]
    return [s for s in ids if not (gender == "male" and s in WOMEN_ONLY)]


@pytest.mark.parametrize("sexual", ["yes", "no"])
@pytest.mark.parametrize("gender", ["female", "male", "other", None])
@pytest.mark.parametrize("status", [*STATUS_COLUMNS, "unknown"])
def test_services_match_the_protocol_table(pack, status: str, gender: str | None,
                                           sexual: str) -> None:
    found = eligibility.offers(pack, "specialist-support", status, gender,
                               {"sexual_exploitation": sexual})
    assert [o.service.id for o in found] == expected(status, gender, sexual)


YES = {"sexual_exploitation": "yes"}


@pytest.mark.parametrize("gender", ["other", None])
def test_women_only_services_carry_a_check_note_when_gender_is_not_female(pack, gender) -> None:
    found = eligibility.offers(pack, "specialist-support", "not_referred", gender, YES)
    notes = {o.service.id: o.note for o in found}
    assert notes["kairos"] and "check" in notes["kairos"].lower()
    assert notes["bcwa-sece"] and notes["adavu"] is None


def test_female_gets_no_check_note(pack) -> None:
    found = eligibility.offers(pack, "specialist-support", "not_referred", "female", YES)
    assert all(o.note is None for o in found)


def test_without_the_type_of_exploitation_the_services_say_when_they_apply(pack) -> None:
    # `ms-navigator services` is not told the type of exploitation: the two services for
    # survivors of sexual exploitation are listed, saying so, and no other row is touched
    found = eligibility.offers(pack, "specialist-support", "not_referred", "female")
    notes = {o.service.id: o.note or "" for o in found}
    question = "sexually exploited"
    assert {s for s, n in notes.items() if question in n} == SEXUAL_EXPLOITATION
    assert all(n.startswith("Only where:") for s, n in notes.items() if s in SEXUAL_EXPLOITATION)


def test_every_service_object_has_the_contract_keys(pack) -> None:
    for offer in eligibility.offers(pack, "specialist-support", "positive_rg", "female"):
        data = offer.as_dict()
        assert {"id", "name", "contact", "source"} <= set(data)
        assert all(isinstance(data[k], str) and data[k] for k in ("id", "name", "contact", "source"))
