"""Looking the pack up: `list`, `show`, `services` and the generated pathway pages (`docs`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ms_navigator import engine, loader
from ms_navigator.errors import NavigatorError, UnknownPathway


def list_pathways(fmt: str) -> int:
    """Print every pathway with its protocol section, in section order."""
    pack = loader.load_pack_or_raise()
    rows = sorted(pack.pathways.values(), key=lambda p: [int(n) for n in p.section.split(".")])
    if fmt == "json":
        sys.stdout.write(json.dumps([{"id": p.id, "title": p.title, "section": p.section}
                                     for p in rows], indent=2) + "\n")
        return 0
    width = max(len(p.id) for p in rows)
    for p in rows:
        sys.stdout.write(f"{p.section:<7} {p.id:<{width}}  {p.title}\n")
    return 0


def show(item: str) -> int:
    """Print a pathway as a tree (or a step or service in full)."""
    from rich.text import Text

    from ms_navigator.render import terminal

    pack = loader.load_pack_or_raise()
    console = terminal.console()
    if item in pack.pathways:
        pathway = pack.pathways[item]
        console.print(terminal.pathway_tree(pack, pathway))
        console.print(Text(f"Source: {pathway.source}. Review date: {pathway.review_date}.",
                           style="dim"))
        return 0
    if item in pack.steps:
        step = pack.steps[item]
        console.print(Text(f"Step {step.id} ({step.urgency.value})", style="bold"))
        console.print(step.text)
        for contact in step.contacts:
            console.print(Text(f"Contact: {pack.contacts[contact].describe()}", style="cyan"))
        console.print(Text(f"Source: {step.source}", style="dim"))
        return 0
    if item in pack.services:
        from ms_navigator import eligibility

        for part in terminal.offers([eligibility.direct_offer(pack, item)]):
            console.print(part)
        return 0
    raise UnknownPathway(f"nothing has the id '{item}'. Run 'ms-navigator list' for pathway ids.")


def services(nrm_status: str, gender: str | None, fmt: str) -> int:
    """Print the services the support table opens to a status and gender."""
    from ms_navigator import eligibility

    pack = loader.load_pack_or_raise()
    inputs = pack.policy.table_inputs
    engine.check_answer(pack, inputs.status, nrm_status)
    if gender is not None:
        engine.check_answer(pack, inputs.gender, gender)
    table_id = next(iter(pack.tables))
    found = eligibility.offers(pack, table_id, nrm_status, gender)
    if fmt == "json":
        from ms_navigator.render import jsonfmt

        sys.stdout.write(jsonfmt.dumps({"nrm_status": nrm_status, "gender": gender,
                                        "services": [o.as_dict() for o in found]}))
        return 0
    from rich.text import Text

    from ms_navigator.render import terminal

    console = terminal.console()
    status_label = pack.facts[inputs.status].label(nrm_status)
    console.print(Text(f"Services for: {status_label}"
                       + (f"; gender: {pack.facts[inputs.gender].label(gender)}" if gender else ""),
                       style="bold"))
    if nrm_status in pack.tables[table_id].status_unknown.values:
        console.print(pack.steps["confirm_nrm_status"].text)
    console.print()
    for part in terminal.offers(found):
        console.print(part)
    return 0


def docs(write: Path | None, check: Path | None) -> int:
    """Write the generated pathway pages, or check that a folder holds them up to date."""
    from ms_navigator.render import pathway_page

    if (write is None) == (check is None):
        raise NavigatorError("give one of --write DIR or --check DIR.")
    pages = pathway_page.pages(loader.load_pack_or_raise())
    if write is not None:
        write.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (write / name).write_text(text, encoding="utf-8")
        sys.stderr.write(f"Wrote {len(pages)} pages to {write}.\n")
        return 0
    assert check is not None
    stale = pathway_page.stale(pages, check)
    for name in stale:
        sys.stdout.write(f"{check / name}: out of date\n")
    if stale:
        sys.stderr.write(f"Run: ms-navigator docs --write {check}\n")
    return 1 if stale else 0
