"""The published JSON Schemas: up to date with the models, named by every shipped file, and
accepting every shipped file (so an editor never flags valid content)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from ms_navigator import loader, schemas

ROOT = Path(__file__).parents[1]
PACK_FILES = sorted(p for p in (ROOT / "pathways").rglob("*.yaml"))


@pytest.mark.parametrize("kind", list(schemas.kinds()))
def test_schema_files_are_up_to_date(kind: str) -> None:
    shipped = (ROOT / "schema" / f"{kind}.schema.json").read_text()
    assert shipped == schemas.json_schema(kind), (
        "schema/ is out of date: run ms-navigator schema --write schema")


@pytest.mark.parametrize("path", PACK_FILES, ids=[str(p.relative_to(ROOT)) for p in PACK_FILES])
def test_each_shipped_file_names_a_schema_that_accepts_it(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{path.name} must start with a yaml-language-server schema line"
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path.is_file(), f"{match.group(1)} does not resolve from {path}"
    data, _ = loader.read_data(path)
    # JSON Schema sees YAML dates as text, as an editor does.
    data = json.loads(json.dumps(data, default=str))
    jsonschema.validate(data, json.loads(schema_path.read_text()))


def test_schema_rejects_an_unknown_key() -> None:
    schema = json.loads(schemas.json_schema("pathway"))
    data = yaml.safe_load((ROOT / "pathways" / "nrm-pre.yaml").read_text())
    data["nodes"][0]["txt"] = "typo"
    data = json.loads(json.dumps(data, default=str))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_command_prints_json(cli) -> None:
    printed = json.loads(cli("schema", "invariants").stdout)
    assert printed["title"] == "ms-navigator invariants file"
    assert "invariants" in printed["properties"]
    cli("schema", "nope", code=2)
