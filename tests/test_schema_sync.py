"""schema/studies.schema.json is what `stemcell schema` prints from the model, and the data file points at it."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from stemcell_cli.loading.schema import json_schema
from stemcell_cli.model import SCHEMA_VERSION, Dataset
from stemcell_cli.render import render_schema

from .conftest import ROOT, run

SCHEMA_FILE = ROOT / "schema" / "studies.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/studies.schema.json"
REGENERATE = "regenerate it: stemcell schema -o schema/studies.schema.json --force"


def test_schema_file_is_in_step_with_the_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(json_schema()), REGENERATE


def test_schema_command_prints_the_file() -> None:
    result = run("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


def test_schema_describes_every_field_and_pins_the_version() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    dataset = schema["$defs"]["Dataset"]
    assert set(dataset["properties"]) == {f.encode_name for f in msgspec.structs.fields(Dataset)}
    assert dataset["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert dataset["additionalProperties"] is False
    assert dataset["required"] == ["schema_version", "conditions"]


def test_shipped_data_points_editors_at_the_schema() -> None:
    shipped = ROOT / "data" / "studies.yaml"
    assert shipped.read_text(encoding="utf-8").splitlines()[0] == MODELINE
    assert (shipped.parent / Path(MODELINE.split("=", 1)[1])).resolve() == SCHEMA_FILE.resolve()
