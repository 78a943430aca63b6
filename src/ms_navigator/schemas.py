"""JSON Schemas of the pack's files, generated from the pydantic models, for editors and CI.

The shipped YAML files name theirs in a `# yaml-language-server: $schema=...` line; the
schemas live in `schema/<kind>.schema.json` at the repository root, and a test keeps them
up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ms_navigator import model


def kinds() -> dict[str, type[BaseModel]]:
    """Return every kind of pack file and the model that validates it."""
    from ms_navigator.scenarios import Scenario

    return {
        "pathway": model.Pathway,
        "facts": model.FactsFile,
        "contacts": model.ContactsFile,
        "services": model.ServicesFile,
        "steps": model.StepsFile,
        "eligibility": model.EligibilityTable,
        "scenario": Scenario,
        "invariants": model.InvariantsFile,
        "policy": model.PolicyFile,
    }


def json_schema(kind: str) -> str:
    """Return the JSON Schema of one kind of file, as stable, indented JSON text."""
    schema = kinds()[kind].model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              **schema, "title": f"ms-navigator {kind} file"}
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def write_all(directory: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every kind into a folder; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds():
        path = directory / f"{kind}.schema.json"
        path.write_text(json_schema(kind), encoding="utf-8")
        written.append(path)
    return written
