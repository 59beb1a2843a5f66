"""JSON Schemas for editors: up to date, named on the first line of every file, and every file valid."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT
from kb.load import Map, Other, Seq, Todo, load_yaml
from kb.project import content_paths, load_project
from kb.schema import MODELINE, SCHEMA_DIR, all_schemas, modeline

PROJECT = load_project(ROOT)
FILES = [p.relative_to(ROOT).as_posix() for p in content_paths(ROOT)]


def plain(value):
    """What an editor's YAML parser sees (a `!todo` placeholder is a string to it)."""
    if isinstance(value, Map):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Seq):
        return [plain(v) for v in value]
    if isinstance(value, Todo):
        return value.raw
    if isinstance(value, Other):
        return {"true": True, "false": False}.get(value.raw, value.raw)
    return str(value)


def test_schemas_on_disk_are_what_kb_schema_writes():
    for rel, schema in all_schemas(PROJECT).items():
        on_disk = json.loads((ROOT / SCHEMA_DIR / rel).read_text(encoding="utf-8"))
        assert on_disk == schema, f"{SCHEMA_DIR}/{rel} is out of date: run `kb schema`"


@pytest.mark.parametrize("rel", FILES)
def test_every_yaml_file_names_its_schema_and_is_valid(rel):
    first = (ROOT / rel).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == modeline(rel, PROJECT), f"{rel}: run `kb schema`"
    schema_path = (ROOT / rel).parent / first.removeprefix(MODELINE)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data, findings = load_yaml(ROOT / rel, rel)
    assert findings == []
    jsonschema.validate(plain(data), schema)


def test_the_translation_schema_rejects_an_unknown_id_and_a_non_text_value():
    schema = all_schemas(PROJECT)["translations/loyalty-levels.schema.json"]
    jsonschema.validate({"loyal-customers": {"title": "Clients fidèles"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"loyal-customer": {"title": "Clients fidèles"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"loyal-customers": {"title": False}}, schema)
