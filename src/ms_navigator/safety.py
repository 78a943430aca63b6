"""The contract's safety rules, built into the code: `lint` checks them on every path of every pack.

These are the fixed steps of the public contract (section 3: `call_999`, `refer_nrm`,
`notify_dtn`, `safeguarding_children`, `confirm_nrm_status`, `safeguarding_adults`) and when
each must, and must never, appear. They live here rather than in `directory/invariants.yaml`
so that a change to a pack (a pull request deleting that file, or editing it) can never switch
them off: a pack's invariants file can only add rules. Each is an ordinary invariant, checked
by the same search with a shortest counterexample; its id holds a ':' so that it can never be
the id of a pack's own invariant (pack ids are lower-case words).
"""

from __future__ import annotations

from typing import Any

from ms_navigator import model

PREFIX = "contract:"
"""Every built-in rule's id starts with this; a pack's invariant ids cannot contain ':'."""

IN_NRM = ["awaiting_rg", "positive_rg", "negative_rg", "positive_cg", "negative_cg"]
"""The `nrm_status` values of a person already in the National Referral Mechanism."""

CONTRACT_VALUES: dict[str, frozenset[str]] = {
    "immediate_danger": frozenset({"yes", "no"}),
    "under_18": frozenset({"yes", "no", "unsure"}),
    "has_capacity": frozenset({"yes", "no", "unsure"}),
    "consent_nrm": frozenset({"yes", "no"}),
    "care_support_needs": frozenset({"yes", "no", "unsure"}),
    "nrm_status": frozenset({"not_referred", *IN_NRM, "unknown"}),
}
"""The values the contract gives the facts these rules read (CONTRACT section 2). A pack may
offer fewer of them, never another: the rules read each value as the contract means it, so a
value of a pack's own (`awaiting` for `awaiting_rg`, `maybe` for `unsure`) would slip past
them; lint's `contract-fact-value` refuses it."""

CHILD: dict[str, Any] = {"fact": "under_18", "in": ["yes", "unsure"]}
"""A child, or a person whose age is unsure (presumption of age: treated as a child)."""
ADULT: dict[str, Any] = {"fact": "under_18", "in": ["no"]}
NOT_IN_NRM: dict[str, Any] = {"not": {"fact": "nrm_status", "in": IN_NRM}}

_RULES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("call-999-first", "When someone is in immediate danger, calling 999 is the first step.",
     {"fact": "immediate_danger", "in": ["yes"]}, {"first_step": "call_999"}),
    ("no-999-without-danger", "Calling 999 is advised only when someone is in immediate danger.",
     {"not": {"fact": "immediate_danger", "in": ["yes"]}}, {"no_steps": ["call_999"]}),
    ("child-referred", ("A child, or a person whose age is unsure, not yet in the NRM, is "
     "referred into the NRM (no consent needed)."),
     {"all": [CHILD, NOT_IN_NRM]}, {"steps": ["refer_nrm"]}),
    ("child-safeguarded", ("A child, or a person whose age is unsure, goes to children's "
     "safeguarding and is never only notified."),
     CHILD, {"steps": ["safeguarding_children"], "no_steps": ["notify_dtn"]}),
    ("child-never-asked-consent", "A child is never asked for consent to an NRM referral.",
     CHILD, {"not_asked": ["consent_nrm"]}),
    ("never-referred-in-nrm", "A person already in the NRM is not referred again.",
     {"fact": "nrm_status", "in": IN_NRM}, {"no_steps": ["refer_nrm"]}),
    ("consent-means-referral", ("An adult who consents, not yet in the NRM, is referred into "
     "the NRM, never only notified."),
     {"all": [ADULT, {"fact": "consent_nrm", "in": ["yes"]}, NOT_IN_NRM]},
     {"steps": ["refer_nrm"], "no_steps": ["notify_dtn"]}),
    ("adult-never-referred-without-consent", ("An adult is never referred into the NRM without "
     "their informed consent."),
     {"all": [ADULT, {"not": {"fact": "consent_nrm", "in": ["yes"]}}]},
     {"no_steps": ["refer_nrm"]}),
    ("no-consent-means-notify", ("An adult with capacity who does not consent is notified to "
     "the Home Office (Duty to Notify, Modern Slavery Act 2015 s52)."),
     {"all": [ADULT, {"fact": "has_capacity", "in": ["yes"]},
              {"fact": "consent_nrm", "in": ["no"]}]},
     {"steps": ["notify_dtn"]}),
    ("consent-only-with-capacity", "Consent is asked only once capacity is not in doubt.",
     {"not": {"fact": "has_capacity", "in": ["yes"]}}, {"not_asked": ["consent_nrm"]}),
    ("adult-not-child-safeguarding", ("An adult (age not in doubt) is not sent down children's "
     "safeguarding."), ADULT, {"no_steps": ["safeguarding_children"]}),
    ("unknown-status-confirmed", ("When the NRM status is unknown, the plan says to confirm it "
     "before relying on NRM support."),
     {"fact": "nrm_status", "in": ["unknown"]}, {"steps": ["confirm_nrm_status"]}),
    ("adult-care-needs-safeguarded", ("An adult who has, or may have, care and support needs "
     "gets an adult safeguarding referral (Care Act 2014 s42)."),
     {"all": [ADULT, {"fact": "care_support_needs", "in": ["yes", "unsure"]}]},
     {"steps": ["safeguarding_adults"]}),
]


def _build() -> tuple[model.Invariant, ...]:
    """Return the rules as invariants; conditions and requirements are validated as a pack's
    would be, only the id (which holds ':' on purpose) is set without the id pattern."""
    from pydantic import TypeAdapter

    condition: TypeAdapter[model.Condition] = TypeAdapter(model.Condition)
    return tuple(
        model.Invariant.model_construct(
            id=PREFIX + ident, description=text,
            source="The fixed steps of the public contract; Coventry Protocol 4.1 to 4.3",
            when=condition.validate_python(when), require=model.Require.model_validate(need))
        for ident, text, when, need in _RULES)


_BUILT: tuple[model.Invariant, ...] = ()


def rules() -> tuple[model.Invariant, ...]:
    """Return the built-in safety rules (built once, when first needed)."""
    global _BUILT
    if not _BUILT:
        _BUILT = _build()
    return _BUILT


MENTIONED = PREFIX + "mentioned-in-plan"
"""The built-in rule that what a step points to (its `mentions`) is in the plan."""


def of_pack(pack: model.Pack) -> tuple[model.Invariant, ...]:
    """Return the built-in rules that read the pack's own declarations: every step that
    declares what it points the reader to (`mentions`, steps.yaml) is only in plans that
    hold all of it (the contract, section 3: "a service or step that a text points to is in
    the plan"). None while no step declares any."""
    mentions = [model.Mention(by_step=step.id, steps=step.mentions.steps,
                              services=step.mentions.services)
                for step in pack.steps.values() if step.mentions is not None and step.mentions.ids()]
    if not mentions:
        return ()
    need = model.Require(mentions=mentions)
    return (model.Invariant.model_construct(
        id=MENTIONED, description="A step that points to another step or a service is only "
        "in plans that hold it.", source="The public contract, section 3 (a plan never "
        "contradicts itself)", when=None, require=need),)


def is_built_in(invariant_id: str) -> bool:
    """Return True for the id of a built-in rule (never a pack's invariant)."""
    return invariant_id.startswith(PREFIX)
