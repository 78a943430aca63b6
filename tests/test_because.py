"""The "because" trail: the answers that put each step and service in a plan, and only those."""

from __future__ import annotations

import heapq
import itertools
import json
import os
import random

from ms_navigator import because, engine, explore, plans
from ms_navigator.errors import NavigatorError
from ms_navigator.render import markdown
from tests.helpers import every_path, plan_for

ADULT = {"immediate_danger": "no", "under_18": "no", "organisation": "general", "care_support_needs": "unsure",
         "nrm_status": "unknown", "has_capacity": "yes", "consent_nrm": "no",
         "first_responder": "yes", "criminal_exploitation": "no", "sexual_exploitation": "yes", "gender": "female",
         "housing_situation": "housed"}


def trail(plan: engine.Plan, step: str) -> list[tuple[str, str]]:
    found = next(s for s in plan.steps if s.step.id == step)
    return [(a.fact, a.value) for a in found.because]


def test_age_unsure_is_why_a_child_is_safeguarded(pack) -> None:
    plan = plan_for(pack, {"immediate_danger": "yes", "under_18": "unsure", "organisation": "general",
                           "criminal_exploitation": "no"})
    assert trail(plan, "call_999") == [("immediate_danger", "yes")]
    # Children's Services would first be asked where the child is in the NRM (the transition
    # pathway never refers a child already in it), a question this session did not answer.
    assert trail(plan, "safeguarding_children") == [("under_18", "unsure"), ("organisation", "general")]
    assert trail(plan, "refer_nrm") == [("under_18", "unsure"), ("organisation", "general")]


def test_the_trail_holds_only_answers_whose_change_removes_the_step(pack) -> None:
    plan = plan_for(pack, ADULT)
    assert trail(plan, "safeguarding_adults") == [("under_18", "no"), ("care_support_needs", "unsure")]
    notify = trail(plan, "notify_dtn")
    assert ("consent_nrm", "no") in notify and ("immediate_danger", "no") not in notify
    assert ("gender", "female") not in notify


def removed_by(pack, start: str, plan: engine.Plan, reason: engine.Answered) -> tuple[set, set]:
    """Return the step and service ids that some other answer to this reason's question removes."""
    node = pack.pathway(reason.pathway).node(reason.node)
    steps, services = set(), set()
    for option in node.options:
        if option.value == reason.value:
            continue
        # What was asked, not what followed from it (a derived fact must follow anew).
        answers = {**dict((a.fact, a.value) for a in plan.transcript), reason.fact: option.value}
        try:
            walk = engine.walk(pack, engine.Session(start, tuple(answers.items())))
        except NavigatorError:
            continue  # that answer cannot go with the others (as in because.py)
        steps |= set(plan.step_ids()) - {s.step.id for s in (walk.final or walk.steps)}
        services |= set(plan.service_ids()) - {o.service.id for o in walk.offers}
    return steps, services


EVERY_PATH_ENV = "MS_NAVIGATOR_EVERY_PATH"
"""Set to 1 to check the trail on every path from the entry (.ci/run does), not the sample."""
SAMPLE = 300
"""Paths drawn at random (a fixed seed) on top of the cover, when not checking every path."""


_CHOSEN: dict[int, tuple[tuple[explore.Outcome, ...], list[explore.Outcome]]] = {}


def paths_to_check(outcomes: tuple[explore.Outcome, ...]) -> list[explore.Outcome]:
    """Return `_choose(outcomes)`, chosen once for the run however many tests ask (the tuple
    `every_path` gives is kept with the choice, so its id is never reused)."""
    if id(outcomes) not in _CHOSEN:
        _CHOSEN[id(outcomes)] = (outcomes, _choose(outcomes))
    return _CHOSEN[id(outcomes)][1]


def _choose(outcomes: tuple[explore.Outcome, ...]) -> list[explore.Outcome]:
    """Return the paths whose trails are checked: every path with MS_NAVIGATOR_EVERY_PATH=1.

    Otherwise a cover and a sample. A trail is about how answers work together (changing
    one answer, all the others kept), so the cover has, for every two answers that meet on
    some path, a path where they meet: chosen greedily, each time the path that holds the most
    pairs (and single answers) not yet covered, the first in the order paths are enumerated on
    a tie (about a third of the paths that taking each path that adds something, in order,
    needs); then SAMPLE more paths drawn with a fixed seed, the same in every run.
    """
    if os.environ.get(EVERY_PATH_ENV, "").strip() not in ("", "0"):
        return list(outcomes)
    # Each answer (pathway, node, value) as a number, each pair of them as one number: the
    # same pairs, counted the same, at a fraction of the cost of sets of tuples of tuples.
    number: dict[tuple[str, str, str], int] = {}
    held = []
    for outcome in outcomes:
        answers = sorted({number.setdefault((a.pathway, a.node, a.value), len(number))
                          for a in outcome.plan.transcript})
        held.append({i << 32 | j for i, j in itertools.combinations(answers, 2)}
                    | {-1 - i for i in answers})
    met: set[int] = set()
    chosen = []
    best = [(-len(pairs), i) for i, pairs in enumerate(held)]  # gains only fall: a lazy greedy
    heapq.heapify(best)
    while best:
        _, i = heapq.heappop(best)
        gain = len(held[i] - met)
        if gain and best and -best[0][0] > gain:
            heapq.heappush(best, (-gain, i))  # no longer the best: look again later
        elif gain:
            met |= held[i]
            chosen.append(outcomes[i])
    taken = {id(o) for o in chosen}
    rest = [o for o in outcomes if id(o) not in taken]
    return chosen + random.Random(18).sample(rest, min(SAMPLE, len(rest)))


def test_the_paths_checked_cover_every_two_answers_that_meet(pack) -> None:
    outcomes = every_path(pack)
    checked = paths_to_check(outcomes)
    assert len(checked) < len(outcomes) or os.environ.get(EVERY_PATH_ENV)

    def pairs(some: list[explore.Outcome] | tuple[explore.Outcome, ...]) -> set[object]:
        return {pair for o in some for pair in itertools.combinations(
            sorted({(a.pathway, a.node, a.value) for a in o.plan.transcript}), 2)}
    assert pairs(checked) == pairs(outcomes)


def test_on_the_paths_checked_every_reason_really_removes_its_step_or_service(pack) -> None:
    """Soundness and completeness: change a listed answer and the item can go; change an
    answer not listed for an item (but listed for another) and it stays. On a cover of every
    two answers that meet on a path and a fixed sample (every path with MS_NAVIGATOR_EVERY_PATH=1)."""
    for outcome in paths_to_check(every_path(pack)):
        plan = because.explain(pack, pack.entry, outcome.plan)
        for reason in dict.fromkeys(a for item in plan.steps + plan.offers for a in item.because):
            steps, services = removed_by(pack, pack.entry, plan, reason)
            for planned in plan.steps:
                assert (reason in planned.because) == (planned.step.id in steps), (planned.step.id, reason)
            for offer in plan.offers:
                assert (reason in offer.because) == (offer.service.id in services), (offer.service.id, reason)


def test_gender_is_a_reason_for_a_women_only_service(pack) -> None:
    plan = plan_for(pack, ADULT)
    kairos = next(o for o in plan.offers if o.service.id == "kairos")
    assert ("gender", "female") in [(a.fact, a.value) for a in kairos.because]


def test_json_and_markdown_carry_the_trail(cli) -> None:
    stdin = "immediate_danger: 'yes'\nunder_18: unsure\norganisation: general\ncriminal_exploitation: 'no'\n"
    data = json.loads(cli("start", "--answers", "-", "--format", "json", stdin=stdin).stdout)
    first = data["steps"][0]
    assert first["id"] == "call_999"
    assert first["because"] == [{
        "fact": "immediate_danger", "answer": "yes", "label": first["because"][0]["label"],
        "question": "Is the person, or anyone else, at risk of immediate harm right now?"}]
    text = cli("start", "--answers", "-", "--format", "markdown", stdin=stdin).stdout
    assert "   - Because: Could the person be under 18? -> Not sure" in text


def test_services_carry_the_trail_in_json(cli) -> None:
    stdin = "\n".join(f"{k}: '{v}'" for k, v in ADULT.items())
    data = json.loads(cli("start", "--answers", "-", "--format", "json", stdin=stdin).stdout)
    kairos = next(s for s in data["services"] if s["id"] == "kairos")
    assert {"fact": "gender", "answer": "female"}.items() <= kairos["because"][-1].items()


def test_empty_trail_is_said_in_words() -> None:
    assert markdown.because_text(()) == markdown.NO_SINGLE_REASON


def test_a_trail_not_worked_out_is_never_shown_as_no_single_reason(pack) -> None:
    """`because` is None until explained, and only an explained empty trail says that no
    single answer decides the step."""
    walk = engine.walk(pack, engine.Session(pack.entry, tuple(ADULT.items())))
    unexplained = walk.plan()
    assert all(s.because is None for s in unexplained.steps)
    assert "Because:" not in markdown.render_plan(unexplained)
    explained = plans.complete(pack, pack.entry, walk)
    assert all(s.because is not None for s in explained.steps)
    undecided = [s for s in explained.steps if s.because == ()]
    text = markdown.render_plan(explained)
    assert text.count("Because:") == len(explained.steps) + len(explained.offers)
    assert text.count(markdown.NO_SINGLE_REASON) == len(undecided) + sum(
        o.because == () for o in explained.offers)
