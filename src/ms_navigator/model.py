"""The pathway pack as pydantic models: what the YAML may say, checked strictly, with no I/O."""



import enum
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

Id = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="A lower-case id.")]
Text = Annotated[StrictStr, Field(min_length=1)]

SOURCES_CONTEXT = "sources"
"""The validation-context key under which the loader passes the pack's register of sources."""


def cite(value: str, info: ValidationInfo) -> str:
    """Turn a citation into the words a user reads, when the pack's register is given.

    A citation is one or more parts separated by ';', each a source id from
    `directory/sources.yaml` and a pinpoint: `protocol 4.2.1; msa-2015 s52(3)`. The user reads
    `Coventry Protocol 4.2.1; Modern Slavery Act 2015 s52(3)`. Without a register in the
    validation context (a file checked on its own, the JSON Schema) the text is kept as written.
    """
    register = (info.context or {}).get(SOURCES_CONTEXT)
    if register is None or not value.strip():  # blank: rule empty-text says so
        return value
    shown = []
    for part in value.split(";"):
        ref, _, pinpoint = part.strip().partition(" ")
        if ref not in register:
            raise PydanticCustomError(
                "unknown_source", "unknown source '{ref}': cite an id from directory/sources.yaml "
                "followed by a pinpoint, for example 'protocol 4.2.1'", {"ref": ref})
        shown.append(f"{register[ref]} {pinpoint.strip()}".strip())
    return "; ".join(shown)


Source = Annotated[
    StrictStr,
    Field(min_length=1, description=(
        "Source ids from directory/sources.yaml, each with a pinpoint, separated by ';' "
        "(for example 'protocol 4.2.1; msa-2015 s52(3)').")),
    AfterValidator(cite),
]


class Confidence(str, enum.Enum):
    """How firmly a piece of content rests on its source; the reader is told unless `stated`."""

    STATED = "stated"  # said by the protocol or a public source that was read
    INFERRED = "inferred"  # local practice built from the sources where they are silent
    UNVERIFIED = "unverified"  # no public source read confirms it: the user is told to check


LOCAL_PRACTICE = "Local practice, not in the protocol."


def confidence_note(confidence: Confidence, check_with: str | None) -> str | None:
    """Return the line a reader sees under a step or service that is not plainly stated."""
    if confidence is Confidence.UNVERIFIED:
        return f"Not confirmed: check with {check_with or 'your safeguarding lead'}."
    if confidence is Confidence.INFERRED:
        return LOCAL_PRACTICE
    return None


class Urgency(str, enum.Enum):
    """When a step must be done; the plan lists steps in this order."""

    NOW = "now"
    TODAY = "today"
    SOON = "soon"
    ONGOING = "ongoing"


URGENCY_LABELS = {
    Urgency.NOW: "Now",
    Urgency.TODAY: "Today",
    Urgency.SOON: "In the next few days",
    Urgency.ONGOING: "Ongoing",
}


class Strict(BaseModel):
    """Base for every model: unknown keys are errors and loaded content never changes.

    `defer_build`: pydantic builds a validator when a model is first used rather than when its
    class is defined, so only the file-level models that the loader validates are built (the
    nested ones are part of their schemas). Same validation; `start` gets to its first question
    about 15 ms sooner (docs/performance.md).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- Conditions: a closed, declarative language (no eval) -------------------------------------


class FactIn(Strict):
    """True when the fact is known and its value is one of `in`."""

    fact: Id
    in_: list[StrictStr] = Field(alias="in", min_length=1)


class AllOf(Strict):
    """True when every condition is true."""

    all: "list[Condition]" = Field(min_length=1)


class AnyOf(Strict):
    """True when at least one condition is true."""

    any: "list[Condition]" = Field(min_length=1)


class NotOf(Strict):
    """True when the condition is false."""

    not_: "Condition" = Field(alias="not")


class Known(Strict):
    """True when the fact has already been answered on this path (its value does not matter)."""

    known: Id


Condition = Union[FactIn, Known, AllOf, AnyOf, NotOf]
"""No `model_rebuild()` for the three models that refer to Condition before it exists: with
`defer_build`, pydantic resolves the name when a model is first built, so calling it here would
only build three validators on every start, a cached pack included (which needs none)."""


class Items(Strict):
    """Some steps, services and contacts of a plan, by id (an invariant's group, or what a
    step mentions). A plan holds a contact when one of its steps lists it."""

    steps: list[Id] = Field(default_factory=list)
    services: list[Id] = Field(default_factory=list)
    contacts: list[Id] = Field(default_factory=list)

    def ids(self) -> list[tuple[str, str]]:
        """Return each item as (kind, id): "step", "service" or "contact"."""
        return [*(("step", s) for s in self.steps), *(("service", s) for s in self.services),
                *(("contact", c) for c in self.contacts)]


# --- Shared directory: facts, contacts, services, steps ---------------------------------------


class FactValue(Strict):
    """One allowed value of a fact, with the words a user sees."""

    value: StrictStr
    label: Text


class Fact(Strict):
    """A piece of shared vocabulary that questions set and conditions read (CONTRACT section 2)."""

    id: Id
    meaning: Text
    values: list[FactValue] = Field(min_length=2)
    source: Source

    def allowed(self) -> list[str]:
        """Return the allowed values in declared order."""
        return [v.value for v in self.values]

    def label(self, value: str) -> str:
        """Return the user-facing label for a value."""
        return next((v.label for v in self.values if v.value == value), value)


class SourceDef(Strict):
    """A public document that content cites by id: a reader can find and open it."""

    id: Id
    title: Text = Field(description="The document's own title, as a reader would search for it.")
    cite_as: StrictStr | None = Field(
        default=None, description="Shorter name shown before each pinpoint; defaults to the title.")
    publisher: Text
    date: StrictStr | None = Field(default=None, description="Date or version read.")
    url: StrictStr | None = None

    @property
    def shown(self) -> str:
        return self.cite_as or self.title


class SourcesFile(Strict):
    sources: list[SourceDef] = Field(min_length=1)


class Contact(Strict):
    """How to reach someone. A number or address appears here once and nowhere else."""

    id: Id
    name: Text
    phone: StrictStr | None = None
    web: StrictStr | None = None
    email: StrictStr | None = None
    hours: StrictStr | None = None
    out_of_hours: StrictStr | None = Field(
        default=None, description="Who to call outside those hours, and how: shown after them.")
    notes: StrictStr | None = Field(
        default=None, description="One short line; where there is no number, where to find one.")
    source: Source
    verified: bool = Field(description="True only where the source confirms the details.")
    last_verified: date | None = None

    def describe(self) -> str:
        """Return one line an officer can act on: name, the ways to reach it, then any note."""
        ways = [w for w in (self.phone, self.web, self.email) if w]
        text = self.name + (": " + ", ".join(ways) if ways else "")
        if self.hours:
            text += f" ({self.hours})"
        if self.out_of_hours:
            text += f"; out of hours: {self.out_of_hours}"
        if self.notes:
            text += ". " + self.notes
        elif not ways or not self.verified:
            text += ". Contact details not verified: check before use."
        return text


class Service(Strict):
    """A support service a survivor can use, referenced by id from the eligibility table."""

    id: Id
    name: Text
    offers: Text
    who_for: Text
    contact: Id = Field(description="Id of the contact in contacts.yaml.")
    source: Source
    confidence: Confidence = Confidence.STATED
    check_with: StrictStr | None = Field(
        default=None, description="Who confirms it, for `unverified` content.")
    last_verified: date | None = None

    @property
    def confidence_note(self) -> str | None:
        return confidence_note(self.confidence, self.check_with)


class Variant(Strict):
    """Other words for a step, for the readers (or the cases) its `when` describes.

    The step keeps its id whoever reads the plan; the first variant whose condition holds on
    the plan's facts gives the words (and contacts, where it names them). A non-First
    Responder is told to ask one, not to submit the form; Adult Social Care makes its own s42
    decision rather than raising a concern with itself.
    """

    when: Condition
    text: Text
    summary: StrictStr | None = Field(
        default=None, description="The one-sentence summary these words go with.")
    contacts: list[Id] | None = Field(
        default=None, description="The contacts these words name; missing: the step's own.")


class Effect(Strict):
    """What becomes true for the rest of the plan once a step is planned (its `when` holding on
    the facts known then): the facts in `assume` are read by every later branch, question and
    table as if answered so, while the answers given stay in the plan's facts."""

    when: Condition | None = Field(
        default=None, description="When the step has this effect; missing: always.")
    assume: dict[Id, StrictStr] = Field(min_length=1)
    note: Text = Field(description="Shown beside what the table lists because of the effect, "
                       "e.g. 'Once the referral is made.'")


class StepDef(Strict):
    """A recommended action that pathways add to the plan by id."""

    id: Id
    summary: Text = Field(description=(
        "One sentence, addressed to the reader, that says what to do: what the plan shows "
        "first. `text` is the detail beneath it."))
    text: Text
    urgency: Urgency
    after: list[Id] = Field(default_factory=list, description=(
        "Steps that must come before this one when the plan has them with the same urgency "
        "(find out the NRM status before referring: refer_nrm has after: [confirm_nrm_status])."))
    contacts: list[Id] = Field(default_factory=list)
    source: Source
    confidence: Confidence = Confidence.STATED
    check_with: StrictStr | None = Field(
        default=None, description="Who confirms it, for `unverified` content: 'the Modern "
        "Slavery Lead' reads 'Not confirmed: check with the Modern Slavery Lead.'")
    mentions: Items | None = Field(
        default=None, description="The steps and services this step's words point the reader "
        "to: `lint` proves on every path that each is in any plan this step is in.")
    replaces: list[Id] = Field(
        default_factory=list, description="Steps this one stands for: a plan that has this "
        "step leaves them out (one emergency-accommodation step instead of two).")
    effects: list[Effect] = Field(
        default_factory=list, description="What is true for the rest of the plan once this "
        "step is planned.")
    variants: list[Variant] = Field(
        default_factory=list, description="Other words for some readers or cases; the first "
        "whose `when` holds on the plan's facts is used.")

    @property
    def confidence_note(self) -> str | None:
        return confidence_note(self.confidence, self.check_with)


class FactsFile(Strict):
    facts: list[Fact] = Field(min_length=1)


class ContactsFile(Strict):
    contacts: list[Contact] = Field(min_length=1)


class ServicesFile(Strict):
    services: list[Service] = Field(min_length=1)


class StepsFile(Strict):
    steps: list[StepDef] = Field(min_length=1)


# --- The eligibility table (protocol 4.3) -----------------------------------------------------


class Column(Strict):
    """A column of the protocol's table and the NRM statuses it stands for."""

    id: Id
    label: Text
    nrm_status: list[StrictStr] = Field(min_length=1)


class StatusUnknownRule(Strict):
    """What the table gives when NRM status is not known: the services ticked in every column."""

    values: list[StrictStr] = Field(min_length=1)
    rule: Literal["every_column"]
    source: Source


GenderFit = Literal["yes", "no", "check"]


class Row(Strict):
    """One service: a tick (true) or blank (false) per column, and who it serves by gender."""

    service: Id
    cells: dict[Id, bool]
    genders: dict[StrictStr, GenderFit] | None = Field(
        default=None, description="Missing means the service is open to every gender."
    )
    gender_source: StrictStr | None = None
    when: Condition | None = Field(
        default=None, description="Only where this holds on the plan's facts: Kairos is for "
        "women subject to or at risk of sexual exploitation, so its row has `when: {fact: "
        "sexual_exploitation, in: [\"yes\"]}`. Missing: whatever the facts.")
    confidence: Confidence = Confidence.STATED


class Gap(Strict):
    """A combination of inputs for which the table offers no service, and why that is right."""

    nrm_status: StrictStr
    gender: StrictStr
    reason: Text


class EligibilityTable(Strict):
    """A decision table with a 'collect' hit policy: every row that matches adds its service."""

    id: Id
    title: Text
    section: StrictStr
    source: Source
    hit_policy: Literal["collect"]
    columns: list[Column] = Field(min_length=1)
    status_unknown: StatusUnknownRule
    gender_check_note: Text
    rows: list[Row] = Field(min_length=1)
    gaps: list[Gap] = Field(
        default_factory=list,
        description="Every status and gender that gets no service must be listed here with a reason.",
    )


# --- Policy: the pack's choices the code would otherwise make ---------------------------------


class TableInputs(Strict):
    """The facts the eligibility table reads: the NRM status its columns stand for, and the
    gender its rows' `genders` are keyed by."""

    status: Id = Field(description="The fact whose values the columns' `nrm_status` lists.")
    gender: Id = Field(description="The fact whose values the rows' `genders` are keyed by.")


class DoFirst(Strict):
    """How a plan's `do_first` list is chosen: the first steps of the plan, in plan order, of
    the urgencies given (the policy's first step always), at most `most` of them."""

    most: int = Field(ge=1, le=5, description="How many steps at most (the contract allows 5).")
    urgencies: list[Urgency] = Field(min_length=1, description=(
        "The urgencies a step may have to be among the steps to do first."))


class Implication(Strict):
    """Facts that follow from others: known as soon as `when` holds, never asked.

    `first_responder` follows from the organisation for council teams and the NHS (CONTRACT
    section 2); an answers file that says otherwise is refused, with `reason` as the why.
    """

    when: Condition
    facts: dict[Id, StrictStr] = Field(min_length=1)
    reason: Text = Field(description="Why the facts follow, in words an answers file's author "
                         "reads when they contradict it.")
    source: Source


class Policy(Strict):
    """Where a session starts, what comes first in a plan, and what the table reads."""

    entry: Id = Field(description="The pathway a session starts at unless another is chosen.")
    first_step: Id = Field(
        description="The step that comes before every other in a plan (the emergency call)."
    )
    do_first: DoFirst = Field(description="How the steps to do first are chosen.")
    table_inputs: TableInputs
    preamble: Id | None = Field(
        default=None, description="The pathway run first whenever a session starts at any "
        "pathway but `entry`, so that its questions (danger, age, organisation, care needs) "
        "are never skipped; it cannot be started on its own.")
    implies: list[Implication] = Field(
        default_factory=list, description="Facts that follow from others (the organisation "
        "decides `first_responder`).")


class PolicyFile(Strict):
    policy: Policy


# --- Pathways ---------------------------------------------------------------------------------


class Option(Strict):
    """An answer to a question: sets the question's fact to `value` and goes to `next`."""

    value: StrictStr
    label: StrictStr | None = Field(default=None, description="Defaults to the fact's label.")
    next: Id


class _Node(Strict):
    id: Id
    source: Source
    confidence: Confidence = Confidence.STATED


class QuestionNode(_Node):
    """Asks the user to set a fact; skipped (following the known answer) if already answered."""

    type: Literal["question"]
    fact: Id
    text: Text
    why: StrictStr | None = Field(default=None, description="Why this is asked, for explain mode.")
    help: StrictStr | None = None
    options: list[Option] = Field(min_length=1)

    @cached_property
    def option_map(self) -> dict[str, Option]:
        """Return the options by value (the first of duplicates; the loader reports the
        others): the engine follows an answer through it on every walk."""
        found: dict[str, Option] = {}
        for option in self.options:
            found.setdefault(option.value, option)
        return found


class StepNode(_Node):
    """Adds recommended steps (by id from steps.yaml) to the plan."""

    type: Literal["step"]
    steps: list[Id] = Field(min_length=1)
    next: Id


class InfoNode(_Node):
    """Guidance shown to the user as they pass, and kept in the plan."""

    type: Literal["info"]
    title: Text
    text: Text
    next: Id


class ServicesNode(_Node):
    """Adds services to the plan: from an eligibility table given the facts, and/or by id."""

    type: Literal["services"]
    table: Id | None = None
    services: list[Id] = Field(default_factory=list)
    next: Id


class Route(Strict):
    when: Condition
    next: Id


class BranchNode(_Node):
    """Routes on facts already known: the first route whose condition holds, else `otherwise`."""

    type: Literal["branch"]
    routes: list[Route] = Field(min_length=1)
    otherwise: Id | None = None


class GotoNode(_Node):
    """Hands over to another pathway; with `next`, comes back here when that pathway ends."""

    type: Literal["goto"]
    pathway: Id
    next: Id | None = None


class EndNode(Strict):
    """The end of this pathway (or a return to the pathway that called it)."""

    id: Id
    type: Literal["end"]
    source: Source | None = None


Node = Annotated[
    Union[QuestionNode, StepNode, InfoNode, ServicesNode, BranchNode, GotoNode, EndNode],
    Field(discriminator="type"),
]


class Pathway(Strict):
    """One operational pathway of the protocol (section 4), as a graph of nodes."""

    id: Id
    title: Text
    section: StrictStr = Field(pattern=r"^4(\.\d+)+$", description="Protocol section, e.g. 4.2.1.")
    summary: Text
    audience: Text
    version: StrictStr
    review_date: date
    source: Source
    reader: dict[Id, StrictStr] = Field(
        default_factory=dict, description="What the pathway says about its reader: facts known "
        "as soon as a session enters it, never asked (the Health Pathway's reader works for the "
        "NHS: `organisation: nhs`).")
    start: Id
    nodes: list[Node] = Field(min_length=1)

    def node(self, node_id: str) -> Node:
        """Return the node with this id; KeyError if there is none."""
        return self.node_map[node_id]

    @cached_property
    def node_map(self) -> dict[str, Node]:
        """Return nodes by id (the first of duplicates; the loader reports the others)."""
        nodes: dict[str, Node] = {}
        for node in self.nodes:
            nodes.setdefault(node.id, node)
        return nodes


# --- Safety invariants: what must hold on every path ----------------------------------------


class Require(Strict):
    """What every plan must satisfy when an invariant's `when` holds."""

    steps: list[Id] = Field(default_factory=list, description="Steps the plan must contain.")
    no_steps: list[Id] = Field(default_factory=list, description="Steps the plan must not contain.")
    services: list[Id] = Field(default_factory=list)
    no_services: list[Id] = Field(default_factory=list)
    first_step: Id | None = Field(default=None, description="The step that must come first.")
    not_asked: list[Id] = Field(default_factory=list, description="Facts that must never be asked.")
    never_together: "list[Group]" = Field(
        default_factory=list, description="Groups of steps and services of which a plan holds at "
        "most one (a pair: never both).")
    only_when: "list[OnlyWhen]" = Field(
        default_factory=list, description="Steps and services a plan holds only when a condition "
        "holds on the path's facts.")
    mentions: "list[Mention]" = Field(
        default_factory=list, description="A step (`by_step`), and the steps, services and "
        "contacts that must be in every plan that holds it (what its words point to).")
    max_steps: int | None = Field(default=None, ge=1, strict=True,
                                  description="The most steps a plan may hold.")
    max_words: int | None = Field(
        default=None, ge=1, strict=True, description="The most words a plan may show: its "
        "steps' words and the guidance passed on the way.")

    def budgets(self) -> bool:
        """Return True if this requirement limits the plan's length (checked path by path
        over the search's states, not within them: see `invariants.Lengths`)."""
        return self.max_steps is not None or self.max_words is not None


class Group(Items):
    """Steps and services of which a plan holds at most one."""

    @model_validator(mode="after")
    def _two_or_more(self) -> "Group":
        if len(self.ids()) < 2:
            raise PydanticCustomError("group_too_small", "a group needs two or more steps, "
                                      "services or contacts: one alone cannot clash with itself")
        return self


class OnlyWhen(Items):
    """Steps and services a plan may hold only when `when` holds on the path's facts (a fact
    never asked makes `{fact, in}` false, as for an invariant's `when`)."""

    when: Condition

    @model_validator(mode="after")
    def _something(self) -> "OnlyWhen":
        if not self.ids():
            raise PydanticCustomError("nothing_named", "name the steps or services that need "
                                      "the condition")
        return self


class Mention(Items):
    """A step that points the reader to other steps or services: wherever it is in a plan, so
    are they."""

    by_step: Id = Field(description="The step whose words point to the items.")

    @model_validator(mode="after")
    def _something(self) -> "Mention":
        if not self.ids():
            raise PydanticCustomError("nothing_named", "name the steps or services the step "
                                      "points to")
        return self


class Invariant(Strict):
    """A safety rule checked on every path of every pathway by `ms-navigator lint`.

    `when` reads the facts answered on the path; a fact that was never asked makes
    `{fact, in}` false (and so `not` of it true). Without `when`, the rule holds on every path.
    """

    id: Id
    description: Text
    source: Source
    when: Condition | None = None
    require: Require


class InvariantsFile(Strict):
    invariants: list[Invariant] = Field(min_length=1)


# --- The whole pack, as loaded ----------------------------------------------------------------


@dataclass(frozen=True)
class Pack:
    """Everything the engine needs, keyed by id, plus the file each pathway came from."""

    facts: dict[str, Fact]
    contacts: dict[str, Contact]
    services: dict[str, Service]
    steps: dict[str, StepDef]
    tables: dict[str, EligibilityTable]
    pathways: dict[str, Pathway]
    policy: Policy
    files: dict[str, str] = field(default_factory=dict)
    invariants: dict[str, Invariant] = field(default_factory=dict)
    sources: dict[str, SourceDef] = field(default_factory=dict)
    planned: dict[tuple[str, str], object] = field(default_factory=dict, init=False, repr=False,
                                                   compare=False)
    """Each step as planned on each pathway (`engine.PlannedStep`: the step and its contacts),
    made by the engine the first time a walk plans it (every walk of every path plans its
    steps again). A pack is never changed once loaded; `dataclasses.replace` starts afresh."""

    @property
    def entry(self) -> str:
        """Return the pathway a session starts at unless another is chosen (policy.yaml)."""
        return self.policy.entry

    def pathway(self, pathway_id: str) -> Pathway:
        """Return a pathway by id; KeyError if unknown."""
        return self.pathways[pathway_id]

    @property
    def starts(self) -> list[str]:
        """Return the pathways a session can start at, sorted: all but the preamble, which
        runs first in every one of them."""
        return sorted(p for p in self.pathways if p != self.policy.preamble)
