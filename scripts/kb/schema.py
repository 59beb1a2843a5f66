"""JSON Schemas for every YAML file, generated from the model (NODE_SHAPES) and content/.

`kb schema` writes them to schemas/; each YAML file names its schema on its first line
(`# yaml-language-server: $schema=…`), so editors validate and complete keys as translators
type. The translation schemas list the ids and fields of their content file, so an editor
offers exactly the keys `kb check` accepts. kb itself validates with positions (SCHEMA, TYPE,
ORPHAN …); these schemas are for editors and are kept in step by a test.
"""

from __future__ import annotations

import json
from pathlib import Path

from .files import write_atomically
from .load import ID_RE, read_plain_text
from .model import ADDRESS_RE, NODE_SHAPES, SPECIAL_FILES
from .project import Project

SCHEMA_DIR = "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema="
ID = {"type": "string", "pattern": f"^{ID_RE.pattern}$"}


def _value(kind: str, languages: list[str]) -> dict:
    if kind.startswith("list:"):
        return {"type": "array", "items": {"$ref": f"#/$defs/{kind[5:]}"}}
    if kind.startswith("ids|"):
        return {"type": "array", "items": {"anyOf": [ID, {"$ref": f"#/$defs/{kind[4:]}"}]}}
    return {
        "id": ID,
        "ids": {"type": "array", "items": ID},
        "texts": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z]+(-[a-z]+)*$"}},
        "lang": {"enum": languages},
        "str": {"type": "string"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "address": {"type": "string", "pattern": "^(https://|mailto:)" + ADDRESS_RE.pattern + "$"},
    }[kind]


def _shape(shape: str, languages: list[str]) -> dict:
    spec = NODE_SHAPES[shape]
    return {
        "type": "object",
        "properties": {key: _value(kind, languages) for key, (kind, _) in spec.items()},
        "required": [key for key, (_, required) in spec.items() if required],
        "additionalProperties": False,
    }


def content_schema(kind: str, languages: list[str]) -> dict:
    defs = {name: _shape(name, languages) for name in NODE_SHAPES if name != kind}
    return {"$schema": DRAFT, "title": f"content/ {kind} file", **_shape(kind, languages), "$defs": defs}


def translation_schema(project: Project, name: str) -> dict:
    cf = project.content.files[name]
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "$schema": DRAFT,
        "title": f"translations/<lang>/{name}.yaml: the text of content/{name}.yaml",
        "description": 'Each value is a translation. `!todo "source text"`: still to translate (kb sync). '
        '`!draft "text"`: not reviewed yet (a fuzzy or needs-review import); readers see the source until `kb confirm <lang> KEY`.',
        "type": "object",
        "properties": {
            uid: {
                "type": "object",
                "properties": {field: {**text, "description": f"{uid}.{field}"} for field in unit.fields},
                "additionalProperties": False,
            }
            for uid, unit in cf.units.items()
        },
        "additionalProperties": False,
    }


ANCHOR_PATTERN = r"^[a-z0-9-]+/(#[a-z0-9-]+)?$"


def fixed_schemas() -> dict[str, dict]:
    strings = {"type": "object", "additionalProperties": {"type": "string"}}
    return {
        "confirmed": {
            "$schema": DRAFT,
            "title": "translations/.confirmed/<lang>.yaml: the source text each translation was confirmed against (kb confirm)",
            "type": "object",
            "additionalProperties": strings,
        },
        "published": {
            "$schema": DRAFT,
            "title": "content/published.yaml: published anchors (kb publish)",
            "type": "object",
            "properties": {
                "anchors": {"type": "array", "items": {"type": "string", "pattern": ANCHOR_PATTERN}},
                "numbers": {
                    "type": "object",
                    "propertyNames": {"pattern": ANCHOR_PATTERN},
                    "additionalProperties": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)*$"},
                },
            },
            "required": ["anchors"],
            "additionalProperties": False,
        },
    }


def all_schemas(project: Project) -> dict[str, dict]:
    """Path under schemas/ -> schema."""
    kinds = sorted({"topic", *SPECIAL_FILES.values()})
    schemas = {f"content/{kind}.schema.json": content_schema(kind, project.languages) for kind in kinds}
    schemas |= {f"translations/{name}.schema.json": translation_schema(project, name) for name in project.content.files}
    schemas |= {f"{name}.schema.json": schema for name, schema in fixed_schemas().items()}
    return schemas


def schema_for(rel: str, project: Project) -> str | None:
    """The schema file (under schemas/) that a YAML file of the project uses."""
    parts = Path(rel).parts
    if parts[0] == "content":
        if Path(rel).stem == "published":
            return "published.schema.json"
        cf = project.content.files.get(Path(rel).stem)
        return f"content/{cf.kind if cf else 'topic'}.schema.json"
    if parts[0] == "translations" and parts[1] == ".confirmed":
        return "confirmed.schema.json"
    if parts[0] == "translations":
        return f"translations/{Path(rel).stem}.schema.json"
    return None


def modeline(rel: str, project: Project) -> str:
    depth = len(Path(rel).parts) - 1
    return f"{MODELINE}{'../' * depth}{SCHEMA_DIR}/{schema_for(rel, project)}"


def write_schemas(project: Project) -> list[str]:
    """Write schemas/; returns the files that changed."""
    changed = []
    for rel, schema in all_schemas(project).items():
        if write_atomically(project.root / SCHEMA_DIR / rel, json.dumps(schema, indent=2, ensure_ascii=False) + "\n"):
            changed.append(f"{SCHEMA_DIR}/{rel}")
    return changed


def add_modelines(project: Project, paths: list[Path]) -> list[str]:
    """Put the schema line first in each file (replacing an old one); returns the files changed."""
    changed = []
    for path in paths:
        rel = path.relative_to(project.root).as_posix()
        lines = read_plain_text(path).splitlines(keepends=True)
        if lines and lines[0].startswith(MODELINE):
            lines = lines[1:]
        text = modeline(rel, project) + "\n" + "".join(lines)
        if write_atomically(path, text):
            changed.append(rel)
    return changed
